package dev.smtpwatch.it;

import static dev.smtpwatch.it.ItSupport.assertNoCredentials;
import static dev.smtpwatch.it.ItSupport.assertSent;
import static dev.smtpwatch.it.ItSupport.send;
import static dev.smtpwatch.it.ItSupport.withAuth;
import static org.junit.jupiter.api.Assertions.assertEquals;

import com.fasterxml.jackson.databind.JsonNode;
import dev.smtpwatch.testserver.ScriptedSmtpServer;
import java.nio.file.Path;
import java.util.List;
import java.util.stream.Collectors;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;

/**
 * A mail library in a class loader that cannot see the application class path (parent: the platform loader), as
 * in app servers and plugin hosts: the woven code reaches the agent through the dispatcher copy on the bootstrap
 * class path, and the session is recorded like any other.
 */
class IsolatedClassLoaderTest {
    @TempDir
    Path dir;

    @ParameterizedTest
    @EnumSource(value = SampleApp.class, names = {"JAVAX_MAIL", "ANGUS_MAIL"})
    void cleartextAuthFromAnIsolatedLoaderIsRecorded(SampleApp app) throws Exception {
        Path report = dir.resolve("report.jsonl");
        try (ScriptedSmtpServer server = ScriptedSmtpServer.builder().auth(ItSupport.USER, ItSupport.CANARY_PASSWORD)
                .start()) {
            AgentRun.Result run = withAuth(send(app, server, "report=" + report + ",otel=off"), "PLAIN")
                    .inIsolatedLoader().run();

            assertSent(run, 1);
            JsonNode line = Report.single(report);
            assertEquals("sent", line.path("outcome").asText(), line::toString);
            assertEquals(app.libraryName(), line.at("/library/name").asText(), line::toString);
            assertEquals(app.transportClass(), line.at("/library/transport").asText(), line::toString);
            assertEquals(List.of("EHLO", "AUTH", "MAIL", "RCPT", "DATA", "QUIT"),
                    ItSupport.field(line.path("commands"), "verb"), line::toString);
            assertEquals(List.of("cleartext-auth", "cleartext-message"), ItSupport.findingIds(line));
            List<String> otherOutput = run.stderrLines().stream()
                    .filter(l -> !l.startsWith("WARN smtpwatch [cleartext-") && !l.equals(ItSupport.CDS_NOTICE))
                    .collect(Collectors.toList());
            assertEquals(List.of(), otherOutput, run::describe);
            assertNoCredentials(run, report, "PLAIN");
        }
    }
}
