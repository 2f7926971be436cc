package dev.smtpwatch.export;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.smtpwatch.rules.Finding;
import dev.smtpwatch.session.EntryCall;
import dev.smtpwatch.session.MailLibrary;
import dev.smtpwatch.session.SessionRecorder;
import dev.smtpwatch.session.SessionSink;
import dev.smtpwatch.session.SmtpConfig;
import dev.smtpwatch.session.SmtpSession;
import java.lang.management.ManagementFactory;
import java.nio.charset.StandardCharsets;
import java.util.Collections;
import java.util.concurrent.atomic.AtomicReference;
import org.junit.jupiter.api.Test;

/**
 * A pooled transport that stays open for hours: one connection sends 100,000 messages, each answered with a queue
 * id and, every tenth, a rejected recipient with a long reply. The recorder is driven as the advice drives it.
 * What the connection keeps stays flat and its report line stays small.
 */
class LongConnectionMemoryTest {
    private static final int MESSAGES = 100_000;
    /**
     * Heap retained after 100,000 messages may exceed that after 10,000 by this much. Unbounded, the 90,000 queue
     * ids alone would take about 5 MB; the GC's own accounting moves by some 100 KB between two full collections.
     */
    private static final long HEAP_TOLERANCE = 1024 * 1024;
    /** 200 commands, 64 beyond the cap, 100 queue ids, error reply texts cut to 1000 characters: well under. */
    private static final int MAX_LINE = 64 * 1024;
    private static final String LONG_REJECTION = "550 5.1.1 " + "x".repeat(100_000) + "\n";

    private final AtomicReference<SmtpSession> ended = new AtomicReference<>();
    private final SessionRecorder recorder = new SessionRecorder(new SessionSink() {
        @Override
        public void sessionEnded(SmtpSession session) {
            ended.set(session);
        }

        @Override
        public void entryEnded(EntryCall entry) {
        }

        @Override
        public void connectAbandoned(SmtpSession attempt) {
        }
    }, true, 200);
    private final Object transport = new Object();

    @Test
    void aHundredThousandMessagesOnOneConnection() throws Exception {
        recorder.connectStarted(transport, new MailLibrary(MailLibrary.ANGUS, Object.class), "mail.example.com", 587,
            new SmtpConfig("smtp", true, true, false, false, false, false, null, true, null,
                Collections.<String>emptySet(), 0, 0, 0));
        recorder.replyRead(transport, 220, "220 mail.example.com ESMTP\n", null);
        exchange("EHLO client", 250, "250-mail.example.com\n250 8BITMIME\n");
        recorder.connectEnded(transport, null, null);

        long after10k = 0;
        for (int i = 1; i <= MESSAGES; i++) {
            sendOne(i);
            if (i == 10_000) {
                after10k = heapAfterGc();
            }
        }
        long after100k = heapAfterGc();
        exchange("QUIT", 221, "221 2.0.0 Bye\n");
        recorder.connectionClosed(transport);

        System.out.printf("heap used after GC: %d bytes after 10,000 messages, %d after 100,000%n", after10k,
            after100k);
        assertTrue(after100k - after10k < HEAP_TOLERANCE, "retained heap grew from " + after10k + " to "
            + after100k + " bytes");
        SmtpSession session = ended.get();
        assertEquals(MESSAGES, session.messages());
        String line = new ReportLine().format(session, Collections.<Finding>emptyList());
        System.out.println("report line: " + line.length() + " characters");
        assertTrue(line.length() < MAX_LINE, "a report line of " + line.length() + " characters");
        JsonNode json = new ObjectMapper().readTree(line);
        assertEquals(100, json.path("queueIds").size());
        assertEquals("Q00000001", json.path("queueIds").get(0).asText());
        assertEquals(MESSAGES - 100, json.path("queueIdsNotRecorded").asInt());
        assertEquals(MESSAGES * 4 + 2 - 200, json.path("commandsNotRecorded").asInt());
    }

    private void sendOne(int i) {
        recorder.sendStarted(transport);
        exchange("MAIL FROM:<alice@example.com>", 250, "250 2.1.0 Ok\n");
        exchange("RCPT TO:<bob@example.org>", 250, "250 2.1.5 Ok\n");
        if (i % 10 == 0) {
            exchange("RCPT TO:<nobody@example.org>", 550, LONG_REJECTION);
        } else {
            exchange("RCPT TO:<carol@example.org>", 250, "250 2.1.5 Ok\n");
        }
        exchange("DATA", 354, "354 End data with <CR><LF>.<CR><LF>\n");
        exchange(".", 250, String.format("250 2.0.0 Ok: queued as Q%08d%n", i));
        recorder.sendEnded(transport, null);
    }

    private void exchange(String line, int code, String reply) {
        recorder.commandSent(transport, line.getBytes(StandardCharsets.US_ASCII), null);
        recorder.replyRead(transport, code, reply, null);
    }

    private static long heapAfterGc() {
        for (int i = 0; i < 3; i++) {
            System.gc();
        }
        return ManagementFactory.getMemoryMXBean().getHeapMemoryUsage().getUsed();
    }
}
