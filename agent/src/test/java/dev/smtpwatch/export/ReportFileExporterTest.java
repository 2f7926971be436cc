package dev.smtpwatch.export;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.smtpwatch.rules.Finding;
import dev.smtpwatch.session.SessionFixture;
import dev.smtpwatch.session.SmtpSession;
import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Collections;
import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.slf4j.Logger;

class ReportFileExporterTest {
    private static final List<Finding> NONE = Collections.emptyList();
    private static final long UNLIMITED = Long.MAX_VALUE;
    private static final ObjectMapper JSON = new ObjectMapper();

    @TempDir
    Path dir;

    private static SmtpSession session(int port) {
        return SessionFixture.at("smtp.example.com", port).greeting(220).command("EHLO x", 250).command("QUIT", 221).end();
    }

    @Test
    void createsMissingDirectoriesAndAppendsOneLinePerSession() throws Exception {
        Path report = dir.resolve("a/b/report.jsonl");
        ReportFileExporter exporter = new ReportFileExporter(report.toString(), UNLIMITED, new ReportLine(), TestLogs.discard());
        exporter.export(session(25), NONE);
        exporter.export(session(26), NONE);
        exporter.close();
        ReportFileExporter again = new ReportFileExporter(report.toString(), UNLIMITED, new ReportLine(), TestLogs.discard());
        again.export(session(27), NONE);
        again.close();

        List<String> lines = Files.readAllLines(report);
        assertEquals(3, lines.size());
        assertEquals(27, new ObjectMapper().readTree(lines.get(2)).at("/server/port").asInt());
    }

    @Test
    void writersSharingTheFileNeverInterleaveLines() throws Exception {
        Path report = dir.resolve("shared.jsonl");
        int writers = 4;
        int each = 200;
        Thread[] threads = new Thread[writers];
        for (int w = 0; w < writers; w++) {
            // Separate exporters, each with its own file handle, as two JVMs would have.
            ReportFileExporter exporter = new ReportFileExporter(report.toString(), UNLIMITED, new ReportLine(), TestLogs.discard());
            int port = 1000 + w;
            threads[w] = new Thread(() -> {
                for (int i = 0; i < each; i++) {
                    exporter.export(session(port), NONE);
                    exporter.batchEnded();
                }
                exporter.close();
            });
            threads[w].start();
        }
        for (Thread t : threads) {
            t.join();
        }
        List<String> lines = Files.readAllLines(report);
        assertEquals(writers * each, lines.size());
        ObjectMapper json = new ObjectMapper();
        for (String line : lines) {
            assertEquals("smtpwatch.session/1", json.readTree(line).get("schema").asText());
        }
    }

    @Test
    void anUnwritablePathGivesOneWarningNamingItAndNothingElse() throws Exception {
        Path file = Files.createFile(dir.resolve("a-file"));
        String path = file.resolve("under-a-file/report.jsonl").toString();
        ByteArrayOutputStream stderr = new ByteArrayOutputStream();
        Logger log = TestLogs.to(new PrintStream(stderr, true, "UTF-8"));
        ReportFileExporter exporter = new ReportFileExporter(path, UNLIMITED, new ReportLine(), log);
        exporter.export(session(25), NONE);
        exporter.export(session(25), NONE);
        exporter.close();

        String printed = new String(stderr.toByteArray(), StandardCharsets.UTF_8);
        assertEquals(1, printed.split("\n").length, printed);
        assertTrue(printed.startsWith("WARN smtpwatch cannot write the report file " + path), printed);
    }

    private static SmtpSession refusedConnect(int port) {
        return SessionFixture.at("smtp.example.com", port).failed(new java.net.ConnectException("Connection refused"))
            .end();
    }

    @Test
    void identicalFailedConnectsWithinAMinuteAreOneLineCountingThem() throws Exception {
        Path report = dir.resolve("report.jsonl");
        AtomicLong nanos = new AtomicLong();
        ReportFileExporter exporter = new ReportFileExporter(report.toString(), UNLIMITED, new ReportLine(),
            TestLogs.discard(), TimeUnit.MINUTES.toNanos(1), nanos::get);
        for (int i = 0; i < 1000; i++) {
            exporter.export(refusedConnect(25), NONE);
            nanos.addAndGet(TimeUnit.MILLISECONDS.toNanos(10));
        }
        exporter.export(refusedConnect(26), NONE);
        exporter.export(session(25), NONE);
        exporter.batchEnded();
        assertEquals(3, Files.readAllLines(report).size(), "within the minute: the first of each failure, the session");

        nanos.addAndGet(TimeUnit.MINUTES.toNanos(1));
        exporter.export(refusedConnect(25), NONE);
        exporter.close();

        List<String> lines = Files.readAllLines(report);
        assertEquals(5, lines.size(), String.join("\n", lines));
        JsonNode folded = JSON.readTree(lines.get(3));
        assertEquals(999, folded.path("repeats").asInt(), folded.toString());
        assertEquals(25, folded.at("/server/port").asInt());
        assertTrue(folded.path("lastTime").asText().endsWith("Z"), folded.toString());
        assertFalse(JSON.readTree(lines.get(4)).has("repeats"), "after the minute a failure starts a new run");
        long sessions = 0;
        for (String line : lines) {
            sessions += JSON.readTree(line).path("repeats").asLong(1);
        }
        assertEquals(1000 + 1 + 1 + 1, sessions, "every session is counted once");
    }

    private static int lineBytes(SmtpSession session) {
        return (new ReportLine().format(session, NONE) + "\n").getBytes(StandardCharsets.UTF_8).length;
    }

    @Test
    void aFileReachingTheLimitIsRotatedOnceReplacingTheOlderOne() throws Exception {
        Path report = dir.resolve("report.jsonl");
        int lineBytes = lineBytes(session(1000));
        ReportFileExporter exporter = new ReportFileExporter(report.toString(), lineBytes * 10L, new ReportLine(),
            TestLogs.discard());
        for (int i = 0; i < 25; i++) {
            exporter.export(session(1000 + i), NONE);
        }
        exporter.close();

        List<String> current = Files.readAllLines(report);
        List<String> previous = Files.readAllLines(dir.resolve("report.jsonl.1"));
        assertEquals(5, current.size());
        assertEquals(10, previous.size());
        assertEquals(1010, JSON.readTree(previous.get(0)).at("/server/port").asInt(), "the first ten were replaced");
        assertEquals(1024, JSON.readTree(current.get(4)).at("/server/port").asInt());
        assertFalse(Files.exists(dir.resolve("report.jsonl.2")));
    }

    @Test
    void aBatchIsWrittenWhenItEndsInItsOrder() throws Exception {
        Path report = dir.resolve("report.jsonl");
        ReportFileExporter exporter = new ReportFileExporter(report.toString(), UNLIMITED, new ReportLine(),
            TestLogs.discard());
        for (int i = 0; i < 3; i++) {
            exporter.export(session(1000 + i), NONE);
        }
        assertFalse(Files.exists(report) && Files.size(report) > 0, "nothing before the batch ends");
        exporter.batchEnded();
        List<String> lines = Files.readAllLines(report);
        assertEquals(3, lines.size());
        for (int i = 0; i < 3; i++) {
            assertEquals(1000 + i, JSON.readTree(lines.get(i)).at("/server/port").asInt());
        }
        exporter.close();
    }

    @Test
    void aWriterWhoseFileWasRotatedByAnotherFollowsToTheNewFile() throws Exception {
        Path report = dir.resolve("report.jsonl");
        int lineBytes = lineBytes(session(1000));
        ReportFileExporter first = new ReportFileExporter(report.toString(), lineBytes * 4L, new ReportLine(),
            TestLogs.discard());
        ReportFileExporter second = new ReportFileExporter(report.toString(), lineBytes * 4L, new ReportLine(),
            TestLogs.discard());
        for (int i = 0; i < 6; i++) {
            ReportFileExporter exporter = i % 2 == 0 ? first : second;
            exporter.export(session(1000 + i), NONE);
            exporter.batchEnded();
        }
        first.close();
        second.close();
        assertEquals(4, Files.readAllLines(dir.resolve("report.jsonl.1")).size());
        assertEquals(2, Files.readAllLines(report).size(), "no line went to the rotated file after the rotation");
    }
}
