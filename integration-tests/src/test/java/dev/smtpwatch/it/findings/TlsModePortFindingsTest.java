package dev.smtpwatch.it.findings;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import dev.smtpwatch.it.AgentRun;
import dev.smtpwatch.it.SampleApp;
import dev.smtpwatch.testserver.ScriptedSmtpServer;
import dev.smtpwatch.testserver.TestPki;
import dev.smtpwatch.testserver.TlsMode;
import java.io.IOException;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/**
 * implicit-tls-on-starttls-port and plaintext-on-implicit-tls-port: the wrong TLS mode for the listener. The
 * scripted server listens on 587 / 465 when this JVM may bind them (root), else on an ephemeral port: the finding
 * comes from the wire either way, and only the message's port hint depends on the port. The near misses (implicit
 * TLS against an implicit-TLS listener, STARTTLS against a STARTTLS one) are the clean sessions of
 * {@link CleanSessionTest}.
 */
class TlsModePortFindingsTest extends FindingsTestBase {
    private static final int SUBMISSION = 587;
    private static final int SUBMISSIONS = 465;

    /** The server on {@code port} if it can be bound, else on an ephemeral one. */
    private static ScriptedSmtpServer start(ScriptedSmtpServer.Builder builder, int port) throws IOException {
        try {
            return builder.port(port).start();
        } catch (IOException cannotBind) {
            return builder.port(0).start();
        }
    }

    /** On 587 and on an ephemeral port: the same finding, only the 587 message says it is a STARTTLS port. */
    @ParameterizedTest
    @ValueSource(ints = {SUBMISSION, 0})
    void implicitTlsAgainstStartTlsListener(int port) throws Exception {
        try (ScriptedSmtpServer server = start(tlsServer(TlsMode.STARTTLS, TestPki.Cert.LOCALHOST), port)) {
            AgentRun.Result run = send(SampleApp.ANGUS_MAIL, server)
                    .property("mail.smtp.ssl.enable", "true")
                    .run();
            assertTrue(failure(run).contains("nrecognized SSL message"), run::describe);
            JsonNode line = judged(run, SampleApp.ANGUS_MAIL, server.port());

            assertEquals("implicit", line.at("/tls/mode").asText(), line::toString);
            assertIds(line, "implicit-tls-on-starttls-port");
            JsonNode finding = assertFinding(line, "implicit-tls-on-starttls-port", "high", server.port(),
                    "mail.smtp.ssl.enable=false", "mail.smtp.starttls.enable=true",
                    "mail.smtp.starttls.required=true", "port 465");
            assertTrue(finding.path("message").asText().contains("(mail.smtp.ssl.enable=true)"), finding::toString);
            assertEquals(server.port() == SUBMISSION,
                    finding.path("message").asText().contains("a plaintext/STARTTLS port"), finding::toString);
            assertNoFinding(line, "tls-handshake-failed");
        }
    }

    /** On 465 and on an ephemeral port: the same finding, only the 465 message says it is an implicit-TLS port. */
    @ParameterizedTest
    @ValueSource(ints = {SUBMISSIONS, 0})
    void plaintextWithStartTlsAgainstImplicitTlsListener(int port) throws Exception {
        try (ScriptedSmtpServer server = start(tlsServer(TlsMode.IMPLICIT, TestPki.Cert.LOCALHOST), port)) {
            AgentRun.Result run = startTlsRequired(send(SampleApp.JAVAX_MAIL, server))
                    .property("mail.smtp.timeout", "1500")
                    .run();
            assertTrue(failure(run).contains("Read timed out"), run::describe);
            JsonNode line = judged(run, SampleApp.JAVAX_MAIL, server.port());

            assertEquals(-1, line.path("greeting").asInt(), line::toString);
            assertIds(line, "plaintext-on-implicit-tls-port");
            JsonNode finding = assertFinding(line, "plaintext-on-implicit-tls-port", "high", server.port(),
                    "mail.smtp.ssl.enable=true", "587");
            assertTrue(finding.path("message").asText().contains("timed out waiting for the SMTP greeting"),
                    finding::toString);
            assertEquals(server.port() == SUBMISSIONS,
                    finding.path("message").asText().contains("an implicit-TLS port"), finding::toString);
        }
    }
}
