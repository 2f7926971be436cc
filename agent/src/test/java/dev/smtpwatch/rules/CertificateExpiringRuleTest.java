package dev.smtpwatch.rules;

import static dev.smtpwatch.rules.Sessions.assertNone;
import static dev.smtpwatch.rules.Sessions.assertOnly;
import static org.junit.jupiter.api.Assertions.assertEquals;

import dev.smtpwatch.session.ServerCertificate;
import dev.smtpwatch.session.SmtpSession;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneOffset;
import org.junit.jupiter.api.Test;

class CertificateExpiringRuleTest {
    private static final Instant NOW = Instant.parse("2026-12-02T12:00:00Z");
    private final Rule rule = new CertificateExpiringRule(21, Clock.fixed(NOW, ZoneOffset.UTC));

    private static ServerCertificate leaf(Duration left) {
        return new ServerCertificate("CN=smtp.example.com", "CN=Example CA", NOW.plus(left).toEpochMilli(), true);
    }

    private static ServerCertificate intermediate(Duration left) {
        return new ServerCertificate("CN=Example CA", "CN=Example Root", NOW.plus(left).toEpochMilli(), false);
    }

    private static SmtpSession with(ServerCertificate... chain) {
        return Sessions.startTlsConfig(587).greeting(220).ehlo(true).command("STARTTLS", 220)
            .tlsEstablished(Sessions.TLS13, Sessions.AES).serverCertificates(chain).command("EHLO client", 250)
            .authenticate(235).sendMessage().quit().end();
    }

    @Test
    void aLeafExpiringInFiveDaysIsHigh() {
        Finding f = assertOnly(rule.judge(with(leaf(Duration.ofDays(5)), intermediate(Duration.ofDays(900)))),
            "certificate-expiring", Severity.HIGH, "smtp.example.com:587", "renew its certificate before");
        assertEquals("the certificate of smtp.example.com:587 (CN=smtp.example.com, issued by CN=Example CA) expires"
            + " on 2026-12-07 12:00 UTC (in 5 days)", f.message());
    }

    @Test
    void anIntermediateExpiringWithinTheWindowIsMedium() {
        Finding f = assertOnly(rule.judge(with(leaf(Duration.ofDays(300)), intermediate(Duration.ofDays(15)))),
            "certificate-expiring", Severity.MEDIUM, "smtp.example.com:587", "renew the chain it serves");
        assertEquals("the intermediate CA certificate in the chain of smtp.example.com:587 (CN=Example CA, issued by"
            + " CN=Example Root) expires on 2026-12-17 12:00 UTC (in 15 days)", f.message());
    }

    @Test
    void anAlreadyExpiredCertificateAcceptedAnywayIsHigh() {
        Finding f = assertOnly(rule.judge(with(leaf(Duration.ofDays(-3)))), "certificate-expiring", Severity.HIGH,
            "smtp.example.com:587", "renew");
        assertEquals(true, f.message().contains("expired on 2026-11-29 12:00 UTC (3 days ago)"), f.message());
    }

    @Test
    void longLivedChainsAndPlaintextAreNoFinding() {
        assertNone(rule.judge(with(leaf(Duration.ofDays(22)), intermediate(Duration.ofDays(400)))));
        assertNone(rule.judge(Sessions.plaintextSession(Sessions.startTlsConfig(25), false)));
        assertNone(new CertificateExpiringRule(3, Clock.fixed(NOW, ZoneOffset.UTC))
            .judge(with(leaf(Duration.ofDays(5)))));
    }
}
