package dev.smtpwatch.session;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;

/**
 * The watchdog's judgement, driven with explicit clock values: each wait for one reply is reported once, with the
 * step it waits for and the app thread, and the session keeps it until it ends.
 */
class StuckSessionWatchdogTest {
    private static final long THRESHOLD_MILLIS = 60_000;
    private final CollectingSink sink = new CollectingSink();
    private final List<SmtpSession> ended = sink.ended;
    private final List<StuckWait> reported = new ArrayList<>();
    private final SessionRecorder recorder = new SessionRecorder(sink, true, 200);
    private final StuckSessionWatchdog watchdog =
        new StuckSessionWatchdog(recorder, THRESHOLD_MILLIS, (session, wait) -> reported.add(wait));
    private final Object transport = new Object();

    private void connect() {
        SmtpConfig config = new SmtpConfig("smtp", false, false, false, false, false, false, null, false, null,
            Collections.<String>emptySet(), 0, 0, 0);
        recorder.connectStarted(transport, new MailLibrary(MailLibrary.JAVAX, Object.class), "mail.example.com", 25,
            config);
    }

    private void send(String line) {
        recorder.commandSent(transport, line.getBytes(StandardCharsets.UTF_8), null);
    }

    private void reply(int code, String text) {
        recorder.replyRead(transport, code, text, null);
    }

    private static long later(long seconds) {
        return System.nanoTime() + TimeUnit.SECONDS.toNanos(seconds);
    }

    @Test
    void aMissingGreetingIsReportedOnceWithTheAppThread() {
        connect();
        watchdog.check(later(10));
        assertTrue(reported.isEmpty(), "not yet at the threshold");

        watchdog.check(later(61));
        watchdog.check(later(90));
        assertEquals(1, reported.size(), "once per stuck wait");
        StuckWait wait = reported.get(0);
        assertEquals("the server greeting", wait.step());
        assertEquals(Thread.currentThread().getName(), wait.threadName());
        assertFalse(wait.ended());

        reply(220, "220 mail.example.com ESMTP\n");
        assertTrue(wait.ended(), "the greeting ended the wait");
        recorder.connectEnded(transport, null, null);
        send("QUIT");
        reply(221, "221 Bye\n");
        recorder.connectionClosed(transport);
        assertEquals(1, ended.size());
        assertEquals(List.of(wait), ended.get(0).stuckWaits(), "the session keeps the wait for its report line");
    }

    @Test
    void theEndOfDataIsItsOwnStepAndEveryNewWaitCountsAgain() {
        connect();
        reply(220, "220 ok\n");
        recorder.connectEnded(transport, null, null);
        recorder.sendStarted(transport);
        send("EHLO client");
        watchdog.check(later(61));
        assertEquals("the reply to EHLO", reported.get(0).step());
        reply(250, "250 ok\n");
        send("MAIL FROM:<a@example.com>");
        reply(250, "250 ok\n");
        send("RCPT TO:<b@example.org>");
        reply(250, "250 ok\n");
        send("DATA");
        reply(354, "354 go ahead\n");
        watchdog.check(later(120));
        assertEquals(1, reported.size(), "writing the body is no wait for a reply");
        send(".");
        watchdog.check(later(61));
        assertEquals(2, reported.size());
        assertEquals("the reply to the end of DATA", reported.get(1).step());
        assertTrue(ended.isEmpty(), "still open");
    }

    @Test
    void aFinishedLibraryCallIsNoWait() {
        connect();
        // protocolConnect returned false without a socket (Service.connect asks the Authenticator next)
        recorder.connectEnded(transport, null, null);
        watchdog.check(later(120));
        assertTrue(reported.isEmpty(), reported.toString());
    }
}
