package dev.smtpwatch.rules;

import static dev.smtpwatch.rules.Sessions.assertNone;
import static dev.smtpwatch.rules.Sessions.assertOnly;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.smtpwatch.session.SessionFixture;
import org.junit.jupiter.api.Test;

class StartTlsNotUsedRuleTest {
    private final Rule rule = new StartTlsNotUsedRule();

    @Test
    void offeredButNeverIssued() {
        Finding f = assertOnly(rule.judge(Sessions.plaintextSession(SessionFixture.at(Sessions.HOST, 587).auth(),
            true)), "starttls-not-used", Severity.HIGH, "smtp.example.com:587",
            "set mail.smtp.starttls.enable=true and mail.smtp.starttls.required=true");
        assertTrue(f.message().contains("offered STARTTLS"), f.message());
        assertTrue(f.message().contains("mail.smtp.starttls.enable is not set"), f.message());
    }

    @Test
    void mailWithoutAuthIsEnough() {
        Finding f = assertOnly(rule.judge(SessionFixture.at("relay.example.com", 2525).greeting(220).ehlo(true)
            .sendMessage().quit().end()), "starttls-not-used", Severity.HIGH, "relay.example.com:2525",
            "mail.smtp.starttls.required=true");
        assertTrue(f.message().contains("sent mail in plaintext"), f.message());
    }

    @Test
    void noFindingWhenNotOfferedUsedOrNothingSent() {
        assertNone(rule.judge(Sessions.plaintextSession(SessionFixture.at(Sessions.HOST, 587).auth(), false)));
        assertNone(rule.judge(Sessions.startTlsSession(Sessions.startTlsConfig(587))));
        assertNone(rule.judge(Sessions.startTlsSession(Sessions.startTlsConfig(20587))));
        assertNone(rule.judge(SessionFixture.at(Sessions.HOST, 587).greeting(220).ehlo(true).quit().end()));
    }
}
