package dev.smtpwatch.rules;

import static dev.smtpwatch.rules.Sessions.assertNone;
import static dev.smtpwatch.rules.Sessions.assertOnly;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.smtpwatch.session.MailLibrary;
import dev.smtpwatch.session.SessionFixture;
import org.junit.jupiter.api.Test;

class HostnameVerificationOffRuleTest {
    private final Rule rule = new HostnameVerificationOffRule();

    @Test
    void javaxMailDefault() {
        Finding f = assertOnly(rule.judge(Sessions.startTlsSession(SessionFixture.at(Sessions.HOST, 587)
            .library(MailLibrary.JAVAX).startTls(true, true).auth())), "hostname-verification-off", Severity.MEDIUM,
            "smtp.example.com:587", "set mail.smtp.ssl.checkserveridentity=true");
        assertTrue(f.message().contains("is not set and javax.mail defaults it to false"), f.message());
        assertTrue(f.fix().contains("DNS name"), f.fix());
    }

    @Test
    void angusWithTheCheckSwitchedOff() {
        Finding f = assertOnly(rule.judge(Sessions.implicitTlsSession(SessionFixture.at(Sessions.HOST, 465)
            .library(MailLibrary.ANGUS).sslEnable().checkServerIdentity(false).auth())), "hostname-verification-off",
            Severity.MEDIUM, "smtp.example.com:465", "set mail.smtp.ssl.checkserveridentity=true");
        assertTrue(f.message().contains("mail.smtp.ssl.checkserveridentity=false is set"), f.message());
        assertFalse(f.fix().contains("DNS name"), f.fix());
    }

    @Test
    void noFindingWithTheCheckOnOrWithoutTls() {
        assertNone(rule.judge(Sessions.startTlsSession(Sessions.startTlsConfig(587))));
        assertNone(rule.judge(Sessions.implicitTlsSession(SessionFixture.at(Sessions.HOST, 465)
            .library(MailLibrary.ANGUS).sslEnable().auth())));
        assertNone(rule.judge(Sessions.plaintextSession(SessionFixture.at(Sessions.HOST, 25), false)));
    }
}
