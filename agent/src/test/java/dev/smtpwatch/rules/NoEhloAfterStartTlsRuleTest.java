package dev.smtpwatch.rules;

import static dev.smtpwatch.rules.Sessions.assertNone;
import static dev.smtpwatch.rules.Sessions.assertOnly;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.smtpwatch.session.SessionFixture;
import org.junit.jupiter.api.Test;

class NoEhloAfterStartTlsRuleTest {
    private final Rule rule = new NoEhloAfterStartTlsRule();

    @Test
    void mailRightAfterTheHandshake() {
        Finding f = assertOnly(rule.judge(Sessions.startTlsConfig(587).greeting(220).ehlo(true)
            .command("STARTTLS", 220).tlsEstablished(Sessions.TLS13, Sessions.AES).sendMessage().quit().end()),
            "no-ehlo-after-starttls", Severity.MEDIUM, "smtp.example.com:587", "mail.smtp.starttls.enable=true");
        assertTrue(f.message().contains("sent MAIL instead of EHLO"), f.message());
        assertTrue(f.message().contains("RFC 3207"), f.message());
    }

    /** SMTPTransport.authenticate: a 530 to AUTH, then STARTTLS and AUTH again, without EHLO. */
    @Test
    void authRepeatedByTheLibraryAfterA530() {
        Finding f = assertOnly(rule.judge(SessionFixture.at(Sessions.HOST, 587).auth().greeting(220).ehlo(false)
            .command("AUTH LOGIN", 530, "530 5.7.0 Must issue a STARTTLS command first").command("STARTTLS", 220)
            .tlsEstablished(Sessions.TLS13, Sessions.AES).command("AUTH LOGIN", 235).sendMessage().end()),
            "no-ehlo-after-starttls", Severity.MEDIUM, "smtp.example.com:587",
            "set mail.smtp.starttls.enable=true and mail.smtp.starttls.required=true");
        assertTrue(f.message().contains("sent AUTH instead of EHLO"), f.message());
        assertTrue(f.message().contains("answers a 530 to AUTH with a STARTTLS of its own"), f.message());
    }

    @Test
    void noFindingWhenEhloFollowsOrNoTlsCameOfIt() {
        assertNone(rule.judge(Sessions.startTlsSession(Sessions.startTlsConfig(587))));
        assertNone(rule.judge(Sessions.startTlsSession(Sessions.startTlsConfig(10587))));
        assertNone(rule.judge(Sessions.startTlsConfig(587).greeting(220).ehlo(true).command("STARTTLS", 454,
            "454 TLS not available").command("QUIT", 221).end()));
    }
}
