package dev.smtpwatch.export;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

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
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.slf4j.Logger;

class ReportFileExporterTest {
    private static final List<Finding> NONE = Collections.emptyList();

    @TempDir
    Path dir;

    private static SmtpSession session(int port) {
        return SessionFixture.at("smtp.example.com", port).greeting(220).command("EHLO x", 250).command("QUIT", 221).end();
    }

    @Test
    void createsMissingDirectoriesAndAppendsOneLinePerSession() throws Exception {
        Path report = dir.resolve("a/b/report.jsonl");
        ReportFileExporter exporter = new ReportFileExporter(report.toString(), new ReportLine(), TestLogs.discard());
        exporter.export(session(25), NONE);
        exporter.export(session(26), NONE);
        exporter.close();
        ReportFileExporter again = new ReportFileExporter(report.toString(), new ReportLine(), TestLogs.discard());
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
            ReportFileExporter exporter = new ReportFileExporter(report.toString(), new ReportLine(), TestLogs.discard());
            int port = 1000 + w;
            threads[w] = new Thread(() -> {
                for (int i = 0; i < each; i++) {
                    exporter.export(session(port), NONE);
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
        ReportFileExporter exporter = new ReportFileExporter(path, new ReportLine(), log);
        exporter.export(session(25), NONE);
        exporter.export(session(25), NONE);
        exporter.close();

        String printed = new String(stderr.toByteArray(), StandardCharsets.UTF_8);
        assertEquals(1, printed.split("\n").length, printed);
        assertTrue(printed.startsWith("WARN smtpwatch cannot write the report file " + path), printed);
    }
}
