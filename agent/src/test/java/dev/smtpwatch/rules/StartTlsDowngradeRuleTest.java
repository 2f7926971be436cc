package dev.smtpwatch.rules;

import static dev.smtpwatch.rules.Sessions.assertNone;
import static dev.smtpwatch.rules.Sessions.assertOnly;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.smtpwatch.session.SessionFixture;
import org.junit.jupiter.api.Test;

class StartTlsDowngradeRuleTest {
    private final Rule rule = new StartTlsDowngradeRule();

    private static SessionFixture enabledNotRequired(int port) {
        return SessionFixture.at(Sessions.HOST, port).startTls(true, false).auth();
    }

    @Test
    void startTlsNotOfferedAndTheClientWentOnInPlaintext() {
        Finding f = assertOnly(rule.judge(Sessions.plaintextSession(enabledNotRequired(587), false)),
            "starttls-downgrade", Severity.CRITICAL, "smtp.example.com:587", "set mail.smtp.starttls.required=true");
        assertTrue(f.message().contains("credentials and mail"), f.message());
        assertTrue(f.message().contains("mail.smtp.starttls.required is false"), f.message());
    }

    @Test
    void sameOnANonStandardPort() {
        assertOnly(rule.judge(Sessions.plaintextSession(enabledNotRequired(10025), false)), "starttls-downgrade",
            Severity.CRITICAL, "smtp.example.com:10025", "mail.smtp.starttls.required=true");
    }

    @Test
    void noFindingWhenTlsWasUsedRequiredOrNeverAsked() {
        assertNone(rule.judge(Sessions.startTlsSession(enabledNotRequired(587))));
        assertNone(rule.judge(Sessions.implicitTlsSession(Sessions.implicitTlsConfig(465))));
        // STARTTLS never enabled: starttls-not-used / cleartext-* say what happened, not a downgrade
        assertNone(rule.judge(Sessions.plaintextSession(SessionFixture.at(Sessions.HOST, 25).auth(), false)));
        // required: the library stops after EHLO and nothing goes in plaintext
        assertNone(rule.judge(Sessions.startTlsConfig(587).greeting(220).ehlo(false)
            .failed(new Exception("STARTTLS is required but host does not support STARTTLS")).end()));
    }

    @Test
    void aConnectionTestWithoutAuthOrMailIsNotADowngrade() {
        assertNone(rule.judge(enabledNotRequired(587).greeting(220).ehlo(false).quit().end()));
    }
}
