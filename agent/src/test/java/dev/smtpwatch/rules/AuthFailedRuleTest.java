package dev.smtpwatch.rules;

import static dev.smtpwatch.rules.Sessions.assertNone;
import static dev.smtpwatch.rules.Sessions.assertOnly;
import static org.junit.jupiter.api.Assertions.assertTrue;

import org.junit.jupiter.api.Test;

class AuthFailedRuleTest {
    private final Rule rule = new AuthFailedRule();

    @Test
    void credentialsRejected() {
        Finding f = assertOnly(rule.judge(Sessions.startTlsConfig(587).greeting(220).ehlo(true)
            .upgradeToTls(Sessions.TLS13, Sessions.AES).authenticate(535).quit().end()), "auth-failed", Severity.LOW,
            "smtp.example.com:587", "check the user name and password");
        assertTrue(f.message().contains("AUTH PLAIN with 535"), f.message());
        assertTrue(f.fix().contains("spring.mail.username"), f.fix());
    }

    @Test
    void noFindingWhenAcceptedOrNotAttempted() {
        assertNone(rule.judge(Sessions.startTlsSession(Sessions.startTlsConfig(587))));
        assertNone(rule.judge(Sessions.startTlsConfig(587).greeting(220).ehlo(true)
            .upgradeToTls(Sessions.TLS13, Sessions.AES).sendMessage().quit().end()));
        assertNone(rule.judge(Sessions.startTlsConfig(587).greeting(220).ehlo(true)
            .upgradeToTls(Sessions.TLS13, Sessions.AES).authenticate(454).quit().end()));
    }
}
