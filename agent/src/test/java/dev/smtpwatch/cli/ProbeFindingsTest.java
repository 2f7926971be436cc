package dev.smtpwatch.cli;

import static dev.smtpwatch.cli.ProbeFixtures.CN_ONLY;
import static dev.smtpwatch.cli.ProbeFixtures.MAIL_EXAMPLE;
import static dev.smtpwatch.cli.ProbeFixtures.reply;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.smtpwatch.rules.Finding;
import java.net.SocketException;
import java.security.cert.CertificateException;
import java.util.ArrayList;
import java.util.Date;
import java.util.List;
import javax.net.ssl.SSLHandshakeException;
import org.junit.jupiter.api.Test;

/** Every finding {@code probe} gives, from results as {@link SmtpProbe} leaves them; and none for clean servers. */
class ProbeFindingsTest {
    @Test
    void cleanServersHaveNoFindings() {
        assertEquals(List.of(), ids(ProbeFixtures.cleanStartTls()));
        assertEquals(List.of(), ids(ProbeFixtures.cleanImplicit()));
        assertFalse(ProbeFindings.problemsFound(ProbeFindings.judge(ProbeFixtures.cleanStartTls())));
    }

    @Test
    void noStartTlsAndAuthInPlaintext() {
        ProbeResult r = ProbeFixtures.cleanStartTls();
        noTls(r);
        r.ehloBeforeTls = EhloCapabilities.of(reply(250, "relay", "PIPELINING", "AUTH PLAIN LOGIN"));

        List<Finding> findings = ProbeFindings.judge(r);
        assertEquals(List.of("starttls-unavailable", "auth-offered-before-tls"), ids(findings));
        assertEquals("high", findings.get(0).severity().id());
        assertEquals("mail.example.com:587 does not offer STARTTLS (nor TLS from the first byte): mail and"
            + " credentials sent to it travel in plaintext", findings.get(0).message());
        assertEquals("medium", findings.get(1).severity().id());
        assertEquals("mail.example.com:587 offers AUTH PLAIN LOGIN before TLS: a client that does not insist on"
            + " STARTTLS logs in there with its password in plaintext", findings.get(1).message());
        assertTrue(findings.get(1).fix().contains("smtpd_tls_auth_only=yes"), findings.get(1).fix());
        assertTrue(ProbeFindings.problemsFound(findings));
    }

    @Test
    void startTlsAnswered454() {
        ProbeResult r = ProbeFixtures.cleanStartTls();
        noTls(r);
        r.mode = ProbeResult.Mode.STARTTLS;
        r.ehloBeforeTls = EhloCapabilities.of(reply(250, "relay", "STARTTLS"));
        r.startTlsReply = 454;

        Finding finding = single(r, "starttls-unavailable");
        assertEquals("mail.example.com:587 offers STARTTLS but answered it with 454 instead of 220, so no TLS"
            + " session can start", finding.message());
        assertTrue(finding.fix().contains("454 usually means it cannot load its certificate or key"), finding.fix());
    }

    @Test
    void noReplyToStartTlsIsAHangNotAnError() {
        ProbeResult r = ProbeFixtures.cleanStartTls();
        noTls(r);
        r.mode = ProbeResult.Mode.STARTTLS;
        r.ehloBeforeTls = EhloCapabilities.of(reply(250, "relay", "STARTTLS"));
        r.startTlsReply = ProbeResult.NO_REPLY;
        r.stuckAt = "gave no reply to STARTTLS within 10 s";

        assertEquals("mail.example.com:587 gave no reply to STARTTLS within 10 s",
            single(r, "session-stuck").message());
    }

    @Test
    void untrustedChainExpiredChainAndNameMismatchInTheJdksOrder() {
        ProbeResult untrusted = ProbeFixtures.cleanStartTls();
        untrusted.trustRefusal = new CertificateException("PKIX path building failed");
        untrusted.serverName = "other.example.com";
        Finding finding = single(untrusted, "tls-handshake-failed");
        assertEquals("untrusted-certificate", finding.detail(), "the chain is checked before the name");
        assertTrue(finding.fix().contains("-Djavax.net.ssl.trustStore=<path>"), finding.fix());

        ProbeResult expired = ProbeFixtures.cleanStartTls();
        expired.probedAt = new Date(MAIL_EXAMPLE.getNotAfter().getTime() + 1000);
        expired.trustRefusal = new CertificateException("validity check failed");
        finding = single(expired, "tls-handshake-failed");
        assertEquals("expired-certificate", finding.detail());
        assertTrue(finding.fix().startsWith("renew the certificate of the server at mail.example.com:587 (CN="
            + "mail.example.com,O=smtpwatch test expired on 2126-"), finding.fix());

        ProbeResult mismatch = ProbeFixtures.cleanImplicit();
        mismatch.serverName = "smtp.example.com";
        finding = single(mismatch, "tls-handshake-failed");
        assertEquals("hostname-mismatch", finding.detail());
        assertEquals("the implicit-TLS handshake with mail.example.com:465 fails on this JVM with the identity check"
            + " on (mail.smtps.ssl.checkserveridentity=true, Angus Mail 2's default) because the server's"
            + " certificate does not name the host the client connected to (hostname-mismatch)", finding.message());
        assertEquals("connect by a name the certificate lists (DNS:mail.example.com, DNS:*.example.org,"
            + " IP:192.0.2.1, IP:2001:db8:0:0:0:0:0:1), or have the certificate of mail.example.com:465 include"
            + " smtp.example.com", finding.fix());
    }

    @Test
    void aProtocolThisJvmRefuses() {
        ProbeResult r = ProbeFixtures.cleanStartTls();
        r.tlsEstablished = false;
        r.chain = null;
        r.ehloAfterTls = null;
        r.tlsFailure = new SSLHandshakeException("No appropriate protocol (protocol is disabled or cipher suites are"
            + " inappropriate)");

        Finding finding = single(r, "tls-handshake-failed");
        assertEquals("protocol-version", finding.detail());
        assertEquals("enable TLS 1.2 or later on the server at mail.example.com:587; this JVM offers TLSv1.3 TLSv1.2",
            finding.fix());
    }

    @Test
    void aResetDuringTheHandshake() {
        ProbeResult r = ProbeFixtures.cleanImplicit();
        r.tlsEstablished = false;
        r.chain = null;
        r.tlsFailure = new SocketException("Connection reset");
        assertEquals("connection-reset", single(r, "tls-handshake-failed").detail());
    }

    @Test
    void weakTls() {
        ProbeResult r = ProbeFixtures.cleanStartTls();
        r.tlsProtocol = "TLSv1.1";
        r.tlsCipher = "TLS_ECDHE_RSA_WITH_AES_128_CBC_SHA";
        Finding finding = single(r, "weak-tls");
        assertEquals("medium", finding.severity().id());
        assertEquals("TLS with mail.example.com:587 negotiated TLSv1.1 with TLS_ECDHE_RSA_WITH_AES_128_CBC_SHA, a"
            + " protocol below TLS 1.2 and a weak cipher suite", finding.message());
    }

    @Test
    void certificateExpiringMediumThenHighWithinAWeek() {
        long day = 24L * 60 * 60 * 1000;
        long end = MAIL_EXAMPLE.getNotAfter().getTime();
        ProbeResult r = ProbeFixtures.cleanStartTls();
        r.probedAt = new Date(end - 22 * day);
        assertEquals(List.of(), ids(r));

        r.probedAt = new Date(end - 20 * day - 1000);
        Finding finding = single(r, "certificate-expiring");
        assertEquals("medium", finding.severity().id());
        assertTrue(finding.message().startsWith("the certificate CN=mail.example.com,O=smtpwatch test (issuer"
            + " CN=mail.example.com,O=smtpwatch test) of mail.example.com:587 expires on 2126-"), finding.message());
        assertTrue(finding.message().endsWith(", in 20 days"), finding.message());

        r.probedAt = new Date(end - 7 * day + 1000);
        assertEquals("high", single(r, "certificate-expiring").severity().id());
    }

    @Test
    void theSoonestExpiringCertificateOfTheChainIsNamed() {
        ProbeResult r = ProbeFixtures.cleanStartTls();
        r.chain = new java.security.cert.X509Certificate[] {MAIL_EXAMPLE, CN_ONLY};
        java.security.cert.X509Certificate soonest = CN_ONLY.getNotAfter().before(MAIL_EXAMPLE.getNotAfter())
            ? CN_ONLY : MAIL_EXAMPLE;
        r.probedAt = new Date(soonest.getNotAfter().getTime() - 3L * 24 * 60 * 60 * 1000 - 1000);
        assertTrue(single(r, "certificate-expiring").message().startsWith("the certificate "
            + ProbeFindings.subject(soonest) + " "));
    }

    @Test
    void aServerThatHangs() {
        ProbeResult r = ProbeFixtures.cleanStartTls();
        r.ehloAfterTls = null;
        r.stuckAt = "gave no reply to EHLO after TLS within 2 s";
        Finding finding = single(r, "session-stuck");
        assertEquals("mail.example.com:587 gave no reply to EHLO after TLS within 2 s", finding.message());
        assertTrue(finding.fix().contains("mail.smtp.connectiontimeout, mail.smtp.timeout and"
            + " mail.smtp.writetimeout"), finding.fix());
    }

    @Test
    void plaintextOnPort465IsInfoOnly() {
        ProbeResult r = ProbeFixtures.cleanStartTls();
        r.port = 465;
        Finding finding = single(r, "unexpected-tls-mode");
        assertEquals("info", finding.severity().id());
        assertFalse(ProbeFindings.problemsFound(ProbeFindings.judge(r)), "usable with the right settings");

        ProbeResult implicitOn587 = ProbeFixtures.cleanImplicit();
        implicitOn587.port = 587;
        assertTrue(single(implicitOn587, "unexpected-tls-mode").message().contains("wants TLS from the first byte"));
    }

    private static void noTls(ProbeResult r) {
        r.mode = ProbeResult.Mode.NONE;
        r.startTlsReply = null;
        r.tlsAttempted = false;
        r.tlsEstablished = false;
        r.tlsProtocol = null;
        r.tlsCipher = null;
        r.chain = null;
        r.ehloAfterTls = null;
    }

    private static Finding single(ProbeResult r, String id) {
        List<Finding> findings = ProbeFindings.judge(r);
        assertEquals(List.of(id), ids(findings));
        return findings.get(0);
    }

    private static List<String> ids(ProbeResult r) {
        return ids(ProbeFindings.judge(r));
    }

    private static List<String> ids(List<Finding> findings) {
        List<String> ids = new ArrayList<>();
        for (Finding finding : findings) {
            ids.add(finding.id());
        }
        return ids;
    }
}
