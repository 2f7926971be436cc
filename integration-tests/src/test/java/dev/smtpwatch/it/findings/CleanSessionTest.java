package dev.smtpwatch.it.findings;

import static dev.smtpwatch.it.ItSupport.CANARY_PASSWORD;
import static dev.smtpwatch.it.ItSupport.USER;
import static dev.smtpwatch.it.ItSupport.assertNoCredentials;
import static dev.smtpwatch.it.ItSupport.SERVER_WAIT;
import static dev.smtpwatch.it.ItSupport.withAuth;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import dev.smtpwatch.it.AgentRun;
import dev.smtpwatch.it.SampleApp;
import dev.smtpwatch.testserver.ScriptedSmtpServer;
import dev.smtpwatch.testserver.SessionTranscript;
import dev.smtpwatch.testserver.TestPki;
import dev.smtpwatch.testserver.TlsMode;
import java.util.List;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;

/**
 * The negative test of every id: a clean session — STARTTLS enabled and required, or implicit TLS; a trusted
 * certificate for localhost with the server identity checked; TLS 1.3; AUTH over TLS; mail accepted — gets no
 * finding at all, with every library line the sample apps cover, and no WARN line.
 */
class CleanSessionTest extends FindingsTestBase {

    private static AgentRun clean(SampleApp app, AgentRun run) {
        withAuth(run, "PLAIN").property("mail.smtp.ssl.checkserveridentity", "true");
        // javax.mail 1.4 enables only TLSv1 unless told otherwise (see WeakTlsFindingsTest)
        return app == SampleApp.JAVAX_MAIL_1_4 ? run.property("mail.smtp.ssl.protocols", "TLSv1.2 TLSv1.3") : run;
    }

    /** Spring's JavaMailSender connects once per send, and the sample sends two messages. */
    private static int sessions(SampleApp app) {
        return app == SampleApp.SPRING_5 || app == SampleApp.SPRING_BOOT ? 2 : 1;
    }

    private void assertClean(AgentRun.Result run, SampleApp app, ScriptedSmtpServer server, String tlsMode)
            throws Exception {
        assertEquals(0, run.exitCode(), run::describe);
        assertTrue(run.stdout().contains("sample app: sent " + sessions(app) + " message(s)"), run::describe);
        List<SessionTranscript> connections = server.awaitConnections(sessions(app), SERVER_WAIT);
        for (SessionTranscript connection : connections) {
            assertTrue(connection.authenticated(), () -> "no AUTH over TLS: " + connections);
        }
        List<JsonNode> lines = judgedLines(run, app, server.port());
        assertEquals(sessions(app), lines.size(), lines::toString);
        for (JsonNode line : lines) {
            assertEquals(tlsMode, line.at("/tls/mode").asText(), line::toString);
            assertEquals("TLSv1.3", line.at("/tls/protocol").asText(), line::toString);
            assertEquals(true, line.at("/auth/tls").asBoolean(false), line::toString);
            assertIds(line);
        }
        assertTrue(warnLines(run).isEmpty(), run::describe);
        assertNoCredentials(run, report(), "PLAIN");
    }

    @ParameterizedTest
    @EnumSource(SampleApp.class)
    void starttlsRequiredWithAuth(SampleApp app) throws Exception {
        try (ScriptedSmtpServer server = tlsServer(TlsMode.STARTTLS_REQUIRED, TestPki.Cert.LOCALHOST)
                .auth(USER, CANARY_PASSWORD)
                .requireEhlo()
                .start()) {
            AgentRun.Result run = startTlsRequired(clean(app, send(app, server))).run();
            assertClean(run, app, server, "starttls");
        }
    }

    @ParameterizedTest
    @EnumSource(value = SampleApp.class, names = {"JAVAX_MAIL", "ANGUS_MAIL", "SPRING_BOOT"})
    void implicitTlsWithAuth(SampleApp app) throws Exception {
        try (ScriptedSmtpServer server = tlsServer(TlsMode.IMPLICIT, TestPki.Cert.LOCALHOST)
                .auth(USER, CANARY_PASSWORD)
                .requireEhlo()
                .start()) {
            AgentRun.Result run = clean(app, send(app, server)).property("mail.smtp.ssl.enable", "true").run();
            assertClean(run, app, server, "implicit");
        }
    }
}
