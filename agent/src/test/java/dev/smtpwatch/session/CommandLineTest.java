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
    void pathDropsParameters() {
        assertEquals("FROM:<alice@example.com>", line("MAIL FROM:<alice@example.com> SIZE=12 BODY=8BITMIME").path());
        assertEquals("FROM:<>", line("MAIL FROM:<>").path());
        assertEquals("TO:<bob@example.org>", line("RCPT TO:<bob@example.org> NOTIFY=NEVER").path());
    }

    @Test
    void aRecordedPathIsMaskedWhereItIsRead() {
        assertEquals("FROM:<a***@example.com>", new SmtpCommand("MAIL", line("MAIL FROM:<alice@example.com> SIZE=12")
            .path(), true, false).arg());
        assertEquals("TO:<b***@example.org>", new SmtpCommand("RCPT", "TO:<bob@example.org>", true, false).arg());
        assertEquals("FROM:<>", new SmtpCommand("MAIL", "FROM:<>", true, false).arg());
        assertEquals("TO:<bob@example.org>", new SmtpCommand("RCPT", "TO:<bob@example.org>", false, false).arg());
        assertNull(new SmtpCommand("MAIL", null, true, false).arg());
    }

    @Test
    void findsLastChunkAndTheEndOfData() {
        assertTrue(line("BDAT 1024 LAST").hasToken("LAST"));
        assertFalse(line("BDAT 1024").hasToken("LAST"));
        assertTrue(line(".").is("."));
        assertFalse(line("..").is("."));
    }
}
