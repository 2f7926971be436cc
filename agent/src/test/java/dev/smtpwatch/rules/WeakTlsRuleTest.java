package dev.smtpwatch.rules;

import static dev.smtpwatch.rules.Sessions.assertNone;
import static dev.smtpwatch.rules.Sessions.assertOnly;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.smtpwatch.session.SmtpSession;
import org.junit.jupiter.api.Test;

class WeakTlsRuleTest {
    private final Rule rule = new WeakTlsRule();

    private static SmtpSession negotiated(String protocol, String cipher) {
        return Sessions.startTlsConfig(587).greeting(220).ehlo(true).upgradeToTls(protocol, cipher).authenticate(235)
            .sendMessage().quit().end();
    }

    @Test
    void oldProtocol() {
        Finding f = assertOnly(rule.judge(negotiated("TLSv1", "TLS_ECDHE_RSA_WITH_AES_128_GCM_SHA256")), "weak-tls",
            Severity.MEDIUM, "smtp.example.com:587", "set mail.smtp.ssl.protocols=TLSv1.2 TLSv1.3");
        assertTrue(f.message().contains("negotiated TLSv1 with"), f.message());
        assertFalse(f.fix().contains("ciphersuites"), f.fix());
    }

    @Test
    void weakSuites() {
        for (String suite : new String[] {"TLS_RSA_WITH_3DES_EDE_CBC_SHA", "TLS_ECDHE_RSA_WITH_AES_128_CBC_SHA",
            "SSL_RSA_WITH_RC4_128_SHA", "TLS_DH_anon_WITH_AES_128_GCM_SHA256", "TLS_RSA_WITH_NULL_SHA256",
            "SSL_RSA_EXPORT_WITH_RC4_40_MD5"}) {
            assertOnly(rule.judge(negotiated("TLSv1.2", suite)), "weak-tls", Severity.MEDIUM, "smtp.example.com:587",
                "set mail.smtp.ssl.ciphersuites=");
        }
    }

    @Test
    void bothAtOnce() {
        Finding f = assertOnly(rule.judge(negotiated("TLSv1.1", "TLS_RSA_WITH_AES_128_CBC_SHA")), "weak-tls",
            Severity.MEDIUM, "smtp.example.com:587", "mail.smtp.ssl.protocols=TLSv1.2 TLSv1.3 and mail.smtp.ssl.");
        assertTrue(f.message().contains("below TLS 1.2 and a weak cipher suite"), f.message());
    }

    @Test
    void modernTlsIsClean() {
        assertNone(rule.judge(negotiated("TLSv1.3", "TLS_AES_256_GCM_SHA384")));
        assertNone(rule.judge(negotiated("TLSv1.2", "TLS_ECDHE_RSA_WITH_AES_128_GCM_SHA256")));
        assertNone(rule.judge(negotiated("TLSv1.2", "TLS_ECDHE_ECDSA_WITH_CHACHA20_POLY1305_SHA256")));
        assertNone(rule.judge(negotiated("TLSv1.2", "TLS_ECDHE_RSA_WITH_AES_256_CBC_SHA384")));
        assertNone(rule.judge(Sessions.plaintextSession(Sessions.startTlsConfig(25), false)));
    }
}
