package dev.smtpwatch.session;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.charset.StandardCharsets;
import org.junit.jupiter.api.Test;

class CommandLineTest {
    private static CommandLine line(String text) {
        return new CommandLine(text.getBytes(StandardCharsets.UTF_8));
    }

    @Test
    void verbIsUpperCasedFirstToken() {
        assertEquals("EHLO", line("ehlo client.example").verb());
        assertEquals("QUIT", line("QUIT").verb());
        assertEquals("?", line("").verb());
        assertEquals("?", line("\u00e9hlo x").verb());
    }

    @Test
    void authKeepsOnlyTheMechanismNeverTheInitialResponse() {
        CommandLine auth = line("AUTH PLAIN AGNhbmFyeQBTZWNyZXQ=");
        assertEquals("AUTH", auth.verb());
        assertEquals("PLAIN", auth.firstToken());
        assertEquals("XOAUTH2", line("AUTH xoauth2 dXNlcj1zb21ldXNlcgFhdXRo").firstToken());
        assertNull(line("AUTH").firstToken());
    }

    @Test
    void pathDropsParametersAndMasksTheAddress() {
        assertEquals("FROM:<a***@example.com>", line("MAIL FROM:<alice@example.com> SIZE=12 BODY=8BITMIME").path(true));
        assertEquals("TO:<b***@example.org>", line("RCPT TO:<bob@example.org>").path(true));
        assertEquals("FROM:<>", line("MAIL FROM:<>").path(true));
        assertEquals("TO:<bob@example.org>", line("RCPT TO:<bob@example.org> NOTIFY=NEVER").path(false));
    }

    @Test
    void findsLastChunkAndTheEndOfData() {
        assertTrue(line("BDAT 1024 LAST").hasToken("LAST"));
        assertFalse(line("BDAT 1024").hasToken("LAST"));
        assertTrue(line(".").is("."));
        assertFalse(line("..").is("."));
    }
}
