package dev.smtpwatch.rules;

import static dev.smtpwatch.rules.Sessions.assertNone;
import static dev.smtpwatch.rules.Sessions.assertOnly;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.smtpwatch.session.SessionFixture;
import org.junit.jupiter.api.Test;

class BadCommandSequenceRuleTest {
    private final Rule rule = new BadCommandSequenceRule();

    @Test
    void nestedMailFromASharedTransport() {
        Finding f = assertOnly(rule.judge(Sessions.startTlsConfig(587).greeting(220).ehlo(true)
            .upgradeToTls(Sessions.TLS13, Sessions.AES).authenticate(235).command("MAIL FROM:<a@example.com>", 250)
            .command("MAIL FROM:<b@example.com>", 503, "503 5.5.1 Error: nested MAIL command").end()),
            "bad-command-sequence", Severity.MEDIUM, "smtp.example.com:587", "give each thread its own Transport");
        assertTrue(f.message().contains("replied 503 (bad sequence of commands) to MAIL"), f.message());
    }

    @Test
    void authNotEnabled() {
        assertOnly(rule.judge(SessionFixture.at("relay.example.com", 25).auth().greeting(220).ehlo(false)
            .command("AUTH PLAIN AHVzZXIAcGFzcw==", 503, "503 5.5.1 Error: authentication not enabled").end()),
            "bad-command-sequence", Severity.MEDIUM, "relay.example.com:25", "set mail.smtp.auth=false");
    }

    /** javax.mail/Angus answer a 530 to AUTH with STARTTLS and repeat AUTH at once; Postfix wants EHLO first. */
    @Test
    void authRepeatedAfterStartTlsWithoutEhlo() {
        Finding f = assertOnly(rule.judge(SessionFixture.at(Sessions.HOST, 587).auth().greeting(220).ehlo(false)
            .command("AUTH LOGIN", 530, "530 5.7.0 Must issue a STARTTLS command first").command("STARTTLS", 220)
            .tlsEstablished(Sessions.TLS13, Sessions.AES)
            .command("AUTH LOGIN", 503, "503 5.5.1 Error: send HELO/EHLO first").end()),
            "bad-command-sequence", Severity.MEDIUM, "smtp.example.com:587",
            "set mail.smtp.starttls.enable=true and mail.smtp.starttls.required=true");
        assertTrue(f.message().contains("to AUTH because the client sent no EHLO after STARTTLS"), f.message());
    }

    @Test
    void aRefusalForWantOfTlsIsServerRequiresStartTlsInstead() {
        assertNone(rule.judge(SessionFixture.at(Sessions.HOST, 587).greeting(220).ehlo(false)
            .command("AUTH PLAIN AHVzZXIAcGFzcw==", 503, "503 AUTH command is not permitted when TLS is not active")
            .end()));
        assertNone(rule.judge(Sessions.startTlsSession(Sessions.startTlsConfig(587))));
    }
}
