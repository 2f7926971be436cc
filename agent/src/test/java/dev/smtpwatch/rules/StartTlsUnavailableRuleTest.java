package dev.smtpwatch.rules;

import static dev.smtpwatch.rules.Sessions.assertNone;
import static dev.smtpwatch.rules.Sessions.assertOnly;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.smtpwatch.session.SessionFixture;
import org.junit.jupiter.api.Test;

class StartTlsUnavailableRuleTest {
    private final Rule rule = new StartTlsUnavailableRule();

    @Test
    void serverAnswers454() {
        Finding f = assertOnly(rule.judge(Sessions.startTlsConfig(587).greeting(220).ehlo(true)
            .command("STARTTLS", 454, "454 4.7.0 TLS not available due to local problem")
            .failed(new Exception("454 4.7.0 TLS not available due to local problem")).end()),
            "starttls-unavailable", Severity.HIGH, "smtp.example.com:587",
            "fix TLS on the server at smtp.example.com:587");
        assertTrue(f.message().contains("answered STARTTLS with 454"), f.message());
        assertTrue(f.fix().contains("mail.smtp.ssl.enable=true"), f.fix());
    }

    @Test
    void requiredButNotOffered() {
        Finding f = assertOnly(rule.judge(Sessions.startTlsConfig(587).greeting(220).ehlo(false)
            .failed(new Exception("STARTTLS is required but host does not support STARTTLS")).end()),
            "starttls-unavailable", Severity.HIGH, "smtp.example.com:587", "enable STARTTLS on the server");
        assertTrue(f.message().contains("mail.smtp.starttls.required=true"), f.message());
    }

    @Test
    void noFindingWhenStartTlsWorkedOrWasNeverWanted() {
        assertNone(rule.judge(Sessions.startTlsSession(Sessions.startTlsConfig(587))));
        assertNone(rule.judge(Sessions.plaintextSession(SessionFixture.at(Sessions.HOST, 25), false)));
        assertNone(rule.judge(Sessions.implicitTlsSession(Sessions.implicitTlsConfig(465))));
    }
}
