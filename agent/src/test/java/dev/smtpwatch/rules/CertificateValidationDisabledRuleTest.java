package dev.smtpwatch.rules;

import static dev.smtpwatch.rules.Sessions.assertNone;
import static dev.smtpwatch.rules.Sessions.assertOnly;
import static org.junit.jupiter.api.Assertions.assertTrue;

import org.junit.jupiter.api.Test;

class CertificateValidationDisabledRuleTest {
    private final Rule rule = new CertificateValidationDisabledRule();

    @Test
    void trustStar() {
        Finding f = assertOnly(rule.judge(Sessions.startTlsSession(Sessions.startTlsConfig(587).sslTrust("*"))),
            "certificate-validation-disabled", Severity.HIGH, "smtp.example.com:587", "remove mail.smtp.ssl.trust");
        assertTrue(f.message().contains("mail.smtp.ssl.trust=*"), f.message());
        assertTrue(f.fix().contains("-Djavax.net.ssl.trustStore=<path>"), f.fix());
    }

    @Test
    void trustListingTheServerSkipsValidationForIt() {
        Finding f = assertOnly(rule.judge(Sessions.implicitTlsSession(Sessions.implicitTlsConfig(465)
            .protocol("smtps").sslTrust("other.example.com SMTP.example.com"))), "certificate-validation-disabled",
            Severity.HIGH, "smtp.example.com:465", "remove mail.smtps.ssl.trust");
        assertTrue(f.message().contains("mail.smtps.ssl.trust lists smtp.example.com"), f.message());
    }

    @Test
    void trustAllSocketFactoryByName() {
        Finding f = assertOnly(rule.judge(Sessions.startTlsSession(Sessions.startTlsConfig(587)
            .socketFactory("com.acme.mail.TrustAllSSLSocketFactory"))), "certificate-validation-disabled",
            Severity.HIGH, "smtp.example.com:587", "remove the custom mail.smtp.ssl.socketFactory");
        assertTrue(f.message().contains("com.acme.mail.TrustAllSSLSocketFactory"), f.message());
    }

    @Test
    void noFindingForValidatingSetups() {
        assertNone(rule.judge(Sessions.startTlsSession(Sessions.startTlsConfig(587))));
        assertNone(rule.judge(Sessions.startTlsSession(Sessions.startTlsConfig(587).sslTrust("other.example.com"))));
        // MailSSLSocketFactory validates unless trustAllHosts/trustedHosts was set, which the config cannot show
        assertNone(rule.judge(Sessions.startTlsSession(Sessions.startTlsConfig(587)
            .socketFactory("com.sun.mail.util.MailSSLSocketFactory"))));
        assertNone(rule.judge(Sessions.startTlsSession(Sessions.startTlsConfig(587)
            .socketFactory("org.eclipse.angus.mail.util.MailSSLSocketFactory"))));
        // no TLS session: nothing was accepted without validation
        assertNone(rule.judge(Sessions.plaintextSession(Sessions.startTlsConfig(25).sslTrust("*"), false)));
    }
}
