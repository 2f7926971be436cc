package dev.smtpwatch.it.findings;

import static dev.smtpwatch.it.ItSupport.assertSent;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import dev.smtpwatch.it.AgentRun;
import dev.smtpwatch.it.ItSupport;
import dev.smtpwatch.it.SampleApp;
import dev.smtpwatch.testserver.ScriptedSmtpServer;
import dev.smtpwatch.testserver.TestPki;
import dev.smtpwatch.testserver.TlsMode;
import java.security.cert.X509Certificate;
import java.time.Instant;
import org.junit.jupiter.api.Test;

/**
 * tls-handshake-failed (untrusted-certificate, hostname-mismatch, expired-certificate),
 * certificate-validation-disabled and hostname-verification-off, with STARTTLS required so that nothing else is
 * raised. The near misses: the same servers with a trusted certificate for localhost ({@link CleanSessionTest}),
 * and the same wrong-host certificate accepted silently where the library does not check the identity.
 */
class CertificateFindingsTest extends FindingsTestBase {

    private static ScriptedSmtpServer startTlsServer(TestPki.Cert cert) throws Exception {
        return tlsServer(TlsMode.STARTTLS_REQUIRED, cert).start();
    }

    private AgentRun startTls(SampleApp app, ScriptedSmtpServer server) {
        return startTlsRequired(send(app, server));
    }

    /** The one finding of a failed STARTTLS handshake, with its detail. */
    private JsonNode handshakeFailed(AgentRun.Result run, SampleApp app, ScriptedSmtpServer server, String detail,
            String... fixNames) {
        assertEquals(1, run.exitCode(), run::describe);
        JsonNode line = judged(run, app, server.port());
        assertEquals("starttls", line.at("/tls/mode").asText(), line::toString);
        assertEquals(false, line.at("/tls/established").asBoolean(true), line::toString);
        assertIds(line, "tls-handshake-failed");
        JsonNode finding = assertFinding(line, "tls-handshake-failed", "high", server.port(), fixNames);
        assertEquals(detail, finding.path("detail").asText(), finding::toString);
        assertTrue(finding.path("message").asText().contains("(" + detail + ")"), finding::toString);
        return finding;
    }

    /**
     * A trusted certificate that expires in 5 days: the send works, the finding is high (within 7 days) and the
     * report line names the leaf. With cert.expiry.days=3 the same session is clean.
     */
    @Test
    void aCertificateExpiringInFiveDaysIsHighAndNamedInTheReport() throws Exception {
        try (ScriptedSmtpServer server = startTlsServer(TestPki.Cert.EXPIRING)) {
            AgentRun.Result run = startTls(SampleApp.ANGUS_MAIL, server).run();
            assertSent(run, 1);
            JsonNode line = judged(run, SampleApp.ANGUS_MAIL, server.port());
            assertIds(line, "certificate-expiring");
            JsonNode finding = assertFinding(line, "certificate-expiring", "high", server.port(), "renew its certificate");
            assertTrue(finding.path("message").asText().matches("the certificate of localhost:" + server.port()
                    + " \\(CN=localhost, issued by CN=smtpwatch test CA\\) expires on \\d{4}-\\d{2}-\\d{2}"
                    + " \\d{2}:\\d{2} UTC \\(in [45] days\\)"), finding::toString);
            X509Certificate leaf = ItSupport.pki().certificate(TestPki.Cert.EXPIRING);
            assertEquals("CN=localhost", line.at("/tls/certificate/subject").asText(), line::toString);
            assertEquals("CN=smtpwatch test CA", line.at("/tls/certificate/issuer").asText(), line::toString);
            assertEquals(leaf.getNotAfter().toInstant(), Instant.parse(line.at("/tls/certificate/notAfter").asText()));
        }
        // one report per run: the next one starts on an empty file
        report().toFile().delete();
        try (ScriptedSmtpServer server = startTlsServer(TestPki.Cert.EXPIRING)) {
            AgentRun.Result run = startTls(SampleApp.ANGUS_MAIL, server)
                    .agentArgs(agentArgs() + ",cert.expiry.days=3").run();
            assertSent(run, 1);
            assertIds(judged(run, SampleApp.ANGUS_MAIL, server.port()));
        }
    }

    @Test
    void selfSignedCertificateIsUntrusted() throws Exception {
        try (ScriptedSmtpServer server = startTlsServer(TestPki.Cert.SELF_SIGNED)) {
            AgentRun.Result run = startTls(SampleApp.JAVAX_MAIL, server).run();
            assertTrue(run.stderr().contains("PKIX path building failed"), run::describe);
            handshakeFailed(run, SampleApp.JAVAX_MAIL, server, "untrusted-certificate",
                    "-Djavax.net.ssl.trustStore=<path>", "never mail.smtp.ssl.trust=*");
        }
    }

    /** Angus Mail 2 checks the server identity by default. */
    @Test
    void certificateForAnotherHostIsAHostnameMismatchWhenTheIdentityIsChecked() throws Exception {
        try (ScriptedSmtpServer server = startTlsServer(TestPki.Cert.WRONG_HOST)) {
            AgentRun.Result run = startTls(SampleApp.ANGUS_MAIL, server).run();
            handshakeFailed(run, SampleApp.ANGUS_MAIL, server, "hostname-mismatch",
                    "connect by a host name the server's certificate lists", "include localhost");
        }
    }

    /** javax.mail with the check switched on: com.sun.mail's own check, its own words. */
    @Test
    void certificateForAnotherHostIsAHostnameMismatchForJavaxMailWithTheCheckOn() throws Exception {
        try (ScriptedSmtpServer server = startTlsServer(TestPki.Cert.WRONG_HOST)) {
            AgentRun.Result run = startTls(SampleApp.JAVAX_MAIL, server)
                    .property("mail.smtp.ssl.checkserveridentity", "true")
                    .run();
            assertTrue(run.stderr().contains("Can't verify identity of server"), run::describe);
            handshakeFailed(run, SampleApp.JAVAX_MAIL, server, "hostname-mismatch", "include localhost");
        }
    }

    /**
     * The near miss of hostname-mismatch and the trigger of hostname-verification-off: javax.mail 1.6 by default
     * accepts the certificate for wrong.example from localhost, and sends.
     */
    @Test
    void javaxMailDefaultAcceptsACertificateForAnotherHostSilently() throws Exception {
        try (ScriptedSmtpServer server = startTlsServer(TestPki.Cert.WRONG_HOST)) {
            AgentRun.Result run = startTls(SampleApp.JAVAX_MAIL, server).run();
            assertSent(run, 1);
            JsonNode line = judged(run, SampleApp.JAVAX_MAIL, server.port());

            assertIds(line, "hostname-verification-off");
            JsonNode finding = assertFinding(line, "hostname-verification-off", "medium", server.port(),
                    "mail.smtp.ssl.checkserveridentity=true");
            assertTrue(finding.path("message").asText().contains("javax.mail defaults it to false"),
                    finding::toString);
        }
    }

    @Test
    void expiredCertificate() throws Exception {
        try (ScriptedSmtpServer server = startTlsServer(TestPki.Cert.EXPIRED)) {
            AgentRun.Result run = startTls(SampleApp.ANGUS_MAIL, server).run();
            handshakeFailed(run, SampleApp.ANGUS_MAIL, server, "expired-certificate", "renew the certificate");
        }
    }

    /** ssl.trust=* lets even the self-signed certificate through: the mail goes, unverified. */
    @Test
    void trustEverythingDisablesCertificateValidation() throws Exception {
        try (ScriptedSmtpServer server = startTlsServer(TestPki.Cert.SELF_SIGNED)) {
            AgentRun.Result run = startTls(SampleApp.ANGUS_MAIL, server)
                    .property("mail.smtp.ssl.trust", "*")
                    .run();
            assertSent(run, 1);
            JsonNode line = judged(run, SampleApp.ANGUS_MAIL, server.port());

            assertEquals("*", line.at("/config/ssl.trust").asText(), line::toString);
            assertIds(line, "certificate-validation-disabled");
            assertFinding(line, "certificate-validation-disabled", "high", server.port(), "remove mail.smtp.ssl.trust",
                    "-Djavax.net.ssl.trustStore=<path>");
        }
    }
}
