package dev.smtpwatch.it.reliability;

import static dev.smtpwatch.it.ItSupport.assertSent;
import static dev.smtpwatch.it.ItSupport.send;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import dev.smtpwatch.it.AgentRun;
import dev.smtpwatch.it.ItSupport;
import dev.smtpwatch.it.Report;
import dev.smtpwatch.it.SampleApp;
import dev.smtpwatch.testserver.ScriptedSmtpServer;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.Test;

/** An app retrying a dead server in a loop, and a report reaching its size cap: the disk does not fill up. */
class ReportVolumeTest {
    private final Path dir = Reliability.runDir("report-volume");

    @Test
    void anAppRetryingADeadPortInALoopWritesTwoLinesThatCountEveryAttempt() throws Exception {
        Path report = dir.resolve("retry-loop.jsonl");
        Files.deleteIfExists(report);
        int attempts = 500;
        AgentRun.Result run = send(SampleApp.JAVAX_MAIL, ItSupport.freePort(), "report=" + report)
                .mainClass("dev.smtpwatch.sample.javaxmail.UsagePatterns")
                .property("sample.pattern", "retry-loop")
                .property("sample.attempts", attempts)
                .run();
        assertSent(run, 0);

        List<JsonNode> lines = Report.read(report);
        assertEquals(2, lines.size(), () -> "one line for the first failure, one for the rest: " + lines);
        assertEquals(attempts - 1, lines.get(1).path("repeats").asInt(), () -> lines.get(1).toString());
        long sessions = 0;
        for (JsonNode line : lines) {
            assertEquals("failed", line.path("outcome").asText());
            assertEquals(0, line.path("commands").size());
            sessions += line.path("repeats").asLong(1);
        }
        assertEquals(attempts, sessions, "every attempt is counted once");
        long warnLines = run.stderrLines().stream().filter(l -> l.startsWith("WARN smtpwatch")).count();
        assertTrue(warnLines <= 3, () -> "log lines are rate-limited too: " + run.describe());
        Reliability.record("ReportVolumeTest", attempts + " failed connects to a dead port in a loop: "
                + lines.size() + " report lines, " + warnLines + " WARN lines");
    }

    @Test
    void aReportPastReportMaxMbIsRotatedOnceAndKeepsWholeLines() throws Exception {
        Path report = dir.resolve("capped.jsonl");
        Files.deleteIfExists(report);
        Files.deleteIfExists(dir.resolve("capped.jsonl.1"));
        try (ScriptedSmtpServer server = ScriptedSmtpServer.builder().start()) {
            for (int i = 0; i < 3; i++) {
                // 0.001 MB = 1048 bytes: less than two lines, so every run after the first rotates
                AgentRun.Result run = send(SampleApp.ANGUS_MAIL, server, "report=" + report + ",report.maxMB=0.001")
                        .run();
                assertSent(run, 1);
            }
        }
        assertEquals(1, Report.read(report).size());
        assertEquals(1, Report.read(dir.resolve("capped.jsonl.1")).size());
        assertTrue(Files.notExists(dir.resolve("capped.jsonl.2")));
    }
}
