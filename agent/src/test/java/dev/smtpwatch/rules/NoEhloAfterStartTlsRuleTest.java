package dev.smtpwatch.rules;

import static dev.smtpwatch.rules.Sessions.assertNone;
import static dev.smtpwatch.rules.Sessions.assertOnly;
import static org.junit.jupiter.api.Assertions.assertTrue;

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

    @Test
    void noFindingWhenEhloFollowsOrNoTlsCameOfIt() {
        assertNone(rule.judge(Sessions.startTlsSession(Sessions.startTlsConfig(587))));
        assertNone(rule.judge(Sessions.startTlsSession(Sessions.startTlsConfig(10587))));
        assertNone(rule.judge(Sessions.startTlsConfig(587).greeting(220).ehlo(true).command("STARTTLS", 454,
            "454 TLS not available").command("QUIT", 221).end()));
    }
}
