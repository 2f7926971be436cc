package dev.smtpwatch.session;

import static org.junit.jupiter.api.Assertions.assertEquals;

import org.junit.jupiter.api.Test;

class AddressMaskTest {
    @Test
    void keepsTheFirstCharacterAndTheDomain() {
        assertEquals("a***@example.com", AddressMask.mask("alice@example.com"));
        assertEquals("a***@example.com", AddressMask.mask("a@b@example.com"), "the last @ starts the domain");
        assertEquals("***@example.com", AddressMask.mask("@example.com"));
        assertEquals("p***", AddressMask.mask("postmaster"));
        assertEquals("", AddressMask.mask(""));
    }

    @Test
    void masksOnlyTheAddressOfAPath() {
        assertEquals("FROM:<a***@example.com>", AddressMask.maskPath("FROM:<alice@example.com>"));
        assertEquals("FROM:<>", AddressMask.maskPath("FROM:<>"), "the null reverse path");
        assertEquals("TO:<p***>", AddressMask.maskPath("TO:<postmaster>"));
        assertEquals("TO:<b***@example.org", AddressMask.maskPath("TO:<bob@example.org"), "no closing bracket");
        assertEquals("T***", AddressMask.maskPath("TO:bob"), "no bracket at all: masked as one address");
        assertEquals("TO:<***@example.org>", AddressMask.maskPath("TO:<@a,@b:carol@example.org>"));
    }
}
