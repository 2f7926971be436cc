package dev.smtpwatch.export;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.smtpwatch.rules.Finding;
import dev.smtpwatch.rules.RuleCatalog;
import dev.smtpwatch.session.MailLibrary;
import dev.smtpwatch.session.SessionFixture;
import dev.smtpwatch.session.SessionRecorder;
import dev.smtpwatch.session.SmtpConfig;
import dev.smtpwatch.session.SmtpSession;
import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Collections;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.atomic.AtomicBoolean;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** 32 app threads sending at once through one recorder: every session becomes exactly one whole report line. */
class ExportPipelineTest {
    private static final int THREADS = 32;
    private static final int SESSIONS_EACH = 25;

    @TempDir
    Path dir;

    @Test
    void concurrentSendersEachGetTheirOwnCompleteLine() throws Exception {
        Path report = dir.resolve("report.jsonl");
        ExportPipeline pipeline = new ExportPipeline(RuleCatalog.standard(), Collections.<SessionExporter>singletonList(
            new ReportFileExporter(report.toString(), Long.MAX_VALUE, new ReportLine(), TestLogs.discard())),
            TestLogs.discard());
        SessionRecorder recorder = new SessionRecorder(pipeline, true, 200);
        SmtpConfig config = new SmtpConfig("smtp", false, false, false, false, false, false, null, false, null,
            Collections.<String>emptySet(), 0, 0, 0);
        CountDownLatch start = new CountDownLatch(1);
        Thread[] senders = new Thread[THREADS];
        for (int t = 0; t < THREADS; t++) {
            final int port = 10_000 + t;
            senders[t] = new Thread(() -> {
                try {
                    start.await();
                    for (int i = 0; i < SESSIONS_EACH; i++) {
                        Object transport = new Object();
                        recorder.connectStarted(transport, new MailLibrary(MailLibrary.JAVAX, Object.class),
                            "relay.example.com", port, config);
                        recorder.replyRead(transport, 220, "220 hi\n", null);
                        exchange(recorder, transport, "EHLO app", 250);
                        recorder.connectEnded(transport, null, null);
                        recorder.sendStarted(transport);
                        exchange(recorder, transport, "MAIL FROM:<t" + port + "@example.com>", 250);
                        exchange(recorder, transport, "RCPT TO:<r@example.org>", 250);
                        exchange(recorder, transport, "DATA", 354);
                        exchange(recorder, transport, ".", 250);
                        recorder.sendEnded(transport, null);
                        exchange(recorder, transport, "QUIT", 221);
                        recorder.connectionClosed(transport);
                    }
                } catch (InterruptedException e) {
                    Thread.currentThread().interrupt();
                }
            });
            senders[t].start();
        }
        start.countDown();
        for (Thread sender : senders) {
            sender.join();
        }
        pipeline.close();

        List<String> lines = Files.readAllLines(report, StandardCharsets.UTF_8);
        assertEquals(THREADS * SESSIONS_EACH, lines.size());
        ObjectMapper json = new ObjectMapper();
        Set<Integer> ports = new HashSet<>();
        for (String text : lines) {
            JsonNode line = json.readTree(text);
            assertEquals(5, line.get("commands").size(), text);
            assertEquals("sent", line.get("outcome").asText(), text);
            int port = line.at("/server/port").asInt();
            assertEquals("FROM:<t***@example.com>", line.at("/commands/1/arg").asText(), text);
            ports.add(port);
        }
        assertEquals(THREADS, ports.size());
    }

    private static void exchange(SessionRecorder recorder, Object transport, String line, int reply) {
        recorder.commandSent(transport, line.getBytes(StandardCharsets.US_ASCII), null);
        recorder.replyRead(transport, reply, reply + " ok\n", null);
    }

    /** An exporter that never returns (a report FIFO nobody reads): close() gives up on it, says so, and returns. */
    @Test
    void anExporterBlockedForGoodDoesNotHoldUpTheExit() throws Exception {
        CountDownLatch never = new CountDownLatch(1);
        AtomicBoolean closed = new AtomicBoolean();
        SessionExporter blocked = new SessionExporter() {
            @Override
            public void export(SmtpSession session, List<Finding> findings) {
                try {
                    never.await();
                } catch (InterruptedException e) {
                    Thread.currentThread().interrupt();
                }
            }

            @Override
            public void close() {
                closed.set(true);
            }
        };
        ByteArrayOutputStream stderr = new ByteArrayOutputStream();
        ExportPipeline pipeline = new ExportPipeline(RuleCatalog.standard(),
            Collections.singletonList(blocked), TestLogs.to(new PrintStream(stderr, true, "UTF-8")));
        for (int i = 0; i < 3; i++) {
            pipeline.sessionEnded(SessionFixture.at("smtp.example.com", 25).greeting(220).end());
        }
        pipeline.close();

        assertFalse(closed.get(), "the blocked exporter is left alone");
        assertEquals("WARN smtpwatch the export thread is blocked in an exporter (a report file nobody reads? a hung"
            + " collector?): 3 sessions were dropped at exit\n",
            new String(stderr.toByteArray(), StandardCharsets.UTF_8));
    }
}
