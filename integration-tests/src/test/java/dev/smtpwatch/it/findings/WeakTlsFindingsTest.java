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
import java.io.IOException;
import java.nio.file.Path;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * weak-tls and tls-handshake-failed/protocol-version: a STARTTLS server that speaks TLS 1.1 only. JDK 17 disables
 * TLS 1.0/1.1 ({@code jdk.tls.disabledAlgorithms}) and reads that once per JVM, so the server runs in a JVM of its
 * own ({@link LegacyTlsServer}) started with {@code -Djava.security.properties} that re-enables them; the app gets
 * the same file for the weak-tls run and the JDK defaults for the protocol-version run. The near miss of weak-tls is
 * every clean session of {@link CleanSessionTest}, which negotiates TLS 1.3.
 */
class WeakTlsFindingsTest extends FindingsTestBase {
    private static LegacyTlsServer server;
    private static Path securityProperties;
    private static int port;

    @BeforeAll
    static void startTls11Server() throws IOException {
        server = LegacyTlsServer.start("TLSv1.1");
        securityProperties = server.securityProperties();
        port = server.port();
    }

    @AfterAll
    static void stopServer() throws Exception {
        if (server != null) {
            server.close();
        }
    }

    private AgentRun toTls11Server(SampleApp app) {
        return startTlsRequired(send(app, port));
    }

    @Test
    void tls11AllowedByTheClientJvmIsWeak() {
        AgentRun.Result run = toTls11Server(SampleApp.ANGUS_MAIL)
                .property("java.security.properties", securityProperties)
                .property("mail.smtp.ssl.protocols", "TLSv1.1")
                .run();
        assertSent(run, 1);
        JsonNode line = judged(run, SampleApp.ANGUS_MAIL, port);

        assertEquals("TLSv1.1", line.at("/tls/protocol").asText(), line::toString);
        assertIds(line, "weak-tls");
        JsonNode weak = assertFinding(line, "weak-tls", "medium", port, "mail.smtp.ssl.protocols=TLSv1.2 TLSv1.3");
        assertTrue(weak.path("message").asText().contains("negotiated TLSv1.1 with "
                + line.at("/tls/cipher").asText()), weak::toString);
    }

    @Test
    void tls11AgainstJdkDefaultsFailsTheHandshakeOnTheProtocolVersion() {
        AgentRun.Result run = toTls11Server(SampleApp.JAVAX_MAIL).run();
        assertTrue(failure(run).contains("Could not convert socket to TLS"), run::describe);
        JsonNode line = judged(run, SampleApp.JAVAX_MAIL, port);

        assertIds(line, "tls-handshake-failed");
        JsonNode failed = assertFinding(line, "tls-handshake-failed", "high", port,
                "mail.smtp.ssl.protocols=TLSv1.2 TLSv1.3");
        assertEquals("protocol-version", failed.path("detail").asText(), failed::toString);
    }

    /**
     * javax.mail 1.4 enables TLSv1 only unless mail.smtp.ssl.protocols says otherwise, which JDK 17 refuses before
     * a byte is sent: protocol-version, with the fix that makes its clean session in {@link CleanSessionTest} work.
     */
    @Test
    void javaxMail14AgainstAModernServerFailsOnTheProtocolVersion() throws Exception {
        try (ScriptedSmtpServer modern = tlsServer(TlsMode.STARTTLS_REQUIRED, TestPki.Cert.LOCALHOST)
                .start()) {
            AgentRun.Result run = startTlsRequired(send(SampleApp.JAVAX_MAIL_1_4, modern)).run();
            assertTrue(failure(run).contains("No appropriate protocol"), run::describe);
            JsonNode line = judged(run, SampleApp.JAVAX_MAIL_1_4, modern.port());

            assertIds(line, "tls-handshake-failed");
            JsonNode failed = assertFinding(line, "tls-handshake-failed", "high", modern.port(),
                    "mail.smtp.ssl.protocols=TLSv1.2 TLSv1.3");
            assertEquals("protocol-version", failed.path("detail").asText(), failed::toString);
        }
    }
}
