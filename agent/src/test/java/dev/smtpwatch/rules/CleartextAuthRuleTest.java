package dev.smtpwatch.rules;

import static dev.smtpwatch.rules.Sessions.assertNone;
import static dev.smtpwatch.rules.Sessions.assertOnly;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.smtpwatch.session.SessionFixture;
import org.junit.jupiter.api.Test;

class CleartextAuthRuleTest {
    private final Rule rule = new CleartextAuthRule();

    @Test
    void authInPlaintextNamesTheMechanismAndTheStartTlsSetting() {
        Finding f = assertOnly(rule.judge(Sessions.plaintextSession(SessionFixture.at("relay.example.com", 25).auth(),
            true)), "cleartext-auth", Severity.CRITICAL, "relay.example.com:25",
            "set mail.smtp.starttls.enable=true and mail.smtp.starttls.required=true");
        assertTrue(f.message().contains("AUTH PLAIN"), f.message());
        assertTrue(f.message().contains("mail.smtp.starttls.enable is not set"), f.message());
    }

    @Test
    void aSpringSessionAlsoGetsTheSpringBootProperty() {
        Finding f = assertOnly(rule.judge(Sessions.plaintextSession(SessionFixture.at("relay.example.com", 25).auth()
            .entry("spring.JavaMailSender.send"), true)), "cleartext-auth", Severity.CRITICAL, "relay.example.com:25",
            "(Spring Boot: spring.mail.properties.mail.smtp.starttls.enable=true and "
                + "spring.mail.properties.mail.smtp.starttls.required=true)");
    }

    @Test
    void authOverTlsIsClean() {
        assertNone(rule.judge(Sessions.startTlsSession(Sessions.startTlsConfig(587))));
        assertNone(rule.judge(Sessions.implicitTlsSession(Sessions.implicitTlsConfig(465))));
        assertNone(rule.judge(Sessions.implicitTlsSession(Sessions.implicitTlsConfig(2465))));
    }
}
