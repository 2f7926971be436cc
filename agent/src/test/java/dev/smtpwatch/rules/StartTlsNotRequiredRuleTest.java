package dev.smtpwatch.rules;

import static dev.smtpwatch.rules.Sessions.assertNone;
import static dev.smtpwatch.rules.Sessions.assertOnly;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.smtpwatch.session.SessionFixture;
import org.junit.jupiter.api.Test;

class StartTlsNotRequiredRuleTest {
    private final Rule rule = new StartTlsNotRequiredRule();

    @Test
    void startTlsUsedButNotRequired() {
        Finding f = assertOnly(rule.judge(Sessions.startTlsSession(SessionFixture.at(Sessions.HOST, 587)
            .startTls(true, false).checkServerIdentity(true).auth())), "starttls-not-required", Severity.MEDIUM,
            "smtp.example.com:587", "set mail.smtp.starttls.required=true");
        assertTrue(f.message().contains("mail.smtp.starttls.required is false"), f.message());
    }

    @Test
    void noFindingWhenRequiredOrImplicit() {
        assertNone(rule.judge(Sessions.startTlsSession(Sessions.startTlsConfig(587))));
        assertNone(rule.judge(Sessions.implicitTlsSession(Sessions.implicitTlsConfig(465))));
    }

    @Test
    void noFindingWhenTheHandshakeFailed() {
        assertNone(rule.judge(SessionFixture.at(Sessions.HOST, 587).startTls(true, false).greeting(220).ehlo(true)
            .command("STARTTLS", 220).failed(new javax.net.ssl.SSLHandshakeException("handshake_failure")).end()));
    }
}
