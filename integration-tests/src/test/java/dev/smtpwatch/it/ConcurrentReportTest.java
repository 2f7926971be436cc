package dev.smtpwatch.it;

import static dev.smtpwatch.it.ItSupport.assertSent;
import static dev.smtpwatch.it.ItSupport.send;
import static org.junit.jupiter.api.Assertions.assertEquals;

import com.fasterxml.jackson.databind.JsonNode;
import dev.smtpwatch.testserver.ScriptedSmtpServer;
import dev.smtpwatch.testserver.SessionTranscript;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.TreeSet;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Several JVMs appending to one report file at once: every line whole, none lost. */
class ConcurrentReportTest {
    private static final int JVMS = 6;
    private static final int MESSAGES_PER_JVM = 3;

    @TempDir
    Path dir;

    @Test
    void jvmsSharingOneReportFileNeverInterleaveLines() throws Exception {
        Path report = dir.resolve("shared.jsonl");
        try (ScriptedSmtpServer server = ScriptedSmtpServer.builder().start()) {
            List<AgentRun.Started> started = new ArrayList<>();
            for (int i = 0; i < JVMS; i++) {
                SampleApp app = i % 2 == 0 ? SampleApp.JAVAX_MAIL : SampleApp.ANGUS_MAIL;
                started.add(send(app, server, "report=" + report)
                        .property("sample.messages", MESSAGES_PER_JVM)
                        .start());
            }
            for (AgentRun.Started jvm : started) {
                assertSent(jvm.await(), MESSAGES_PER_JVM);
            }
            List<SessionTranscript> connections = server.awaitConnections(JVMS, Duration.ofSeconds(10));

            List<JsonNode> lines = Report.read(report);
            assertEquals(JVMS, lines.size(), () -> "report lines: " + lines);
            TreeSet<String> reported = new TreeSet<>();
            Map<String, Integer> perLibrary = new TreeMap<>();
            for (JsonNode line : lines) {
                assertEquals(ItSupport.SCHEMA, line.path("schema").asText());
                assertEquals("sent", line.path("outcome").asText(), line::toString);
                assertEquals(MESSAGES_PER_JVM, line.path("messages").asInt(), line::toString);
                line.path("queueIds").forEach(id -> reported.add(id.asText()));
                perLibrary.merge(line.at("/library/name").asText(), 1, Integer::sum);
            }
            TreeSet<String> queued = new TreeSet<>();
            connections.forEach(c -> queued.addAll(c.queueIds()));
            assertEquals(JVMS * MESSAGES_PER_JVM, queued.size());
            assertEquals(queued, reported);
            assertEquals(Map.of("angus-mail", JVMS / 2, "javax.mail", JVMS / 2), perLibrary);
        }
    }
}
