package dev.smtpwatch.rules;

import static dev.smtpwatch.rules.Sessions.assertNone;
import static dev.smtpwatch.rules.Sessions.assertOnly;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.smtpwatch.session.SessionFixture;
import org.junit.jupiter.api.Test;

class ServerRequiresStartTlsRuleTest {
    private final Rule rule = new ServerRequiresStartTlsRule();

    @Test
    void postfixAuthOnlyRefusesMailFrom() {
        Finding f = assertOnly(rule.judge(SessionFixture.at("mx.example.net", 25).auth().greeting(220).ehlo(true)
            .command("MAIL FROM:<alice@example.com>", 530, "530 5.7.0 Must issue a STARTTLS command first").end()),
            "server-requires-starttls", Severity.HIGH, "mx.example.net:25",
            "set mail.smtp.starttls.enable=true and mail.smtp.starttls.required=true");
        assertTrue(f.message().contains("so the server refused MAIL with 530 (TLS required)"), f.message());
        assertFalse(f.message().contains("Must issue"), "no server text in findings: " + f.message());
    }

    @Test
    void otherCodesThatNameTls() {
        assertOnly(rule.judge(SessionFixture.at(Sessions.HOST, 587).greeting(220).ehlo(false)
            .command("AUTH PLAIN AHVzZXIAcGFzcw==", 503, "503 AUTH command is not permitted when TLS is not active")
            .end()), "server-requires-starttls", Severity.HIGH, "smtp.example.com:587", "starttls.required=true");
        assertOnly(rule.judge(SessionFixture.at(Sessions.HOST, 2525).greeting(220).ehlo(false)
            .command("MAIL FROM:<a@example.com>", 451, "451 5.7.3 STARTTLS is required to send mail").end()),
            "server-requires-starttls", Severity.HIGH, "smtp.example.com:2525", "starttls.required=true");
    }

    @Test
    void refusalsThatAreNotAboutTlsAreNotThisFinding() {
        assertNone(rule.judge(SessionFixture.at(Sessions.HOST, 587).greeting(220).ehlo(false)
            .command("MAIL FROM:<a@example.com>", 530, "530 5.7.0 Authentication required").end()));
        assertNone(rule.judge(Sessions.startTlsSession(Sessions.startTlsConfig(587))));
    }
}
