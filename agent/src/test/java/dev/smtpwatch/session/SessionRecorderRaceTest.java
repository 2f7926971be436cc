package dev.smtpwatch.session;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.Collections;
import java.util.IdentityHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.atomic.AtomicBoolean;
import org.junit.jupiter.api.Test;

/** The JVM exits while app threads are mid-command: each session is handed on once and never changes after. */
class SessionRecorderRaceTest {
    private static final int CONNECTIONS = 16;

    /** What the sink saw of each session when it was handed on: its command count. */
    private final Map<SmtpSession, Integer> handedOn = Collections.synchronizedMap(new IdentityHashMap<>());
    private final List<SmtpSession> endedTwice = Collections.synchronizedList(new ArrayList<>());
    private final SessionSink sink = new SessionSink() {
        @Override
        public void sessionEnded(SmtpSession session) {
            if (handedOn.put(session, commandsSeen(session)) != null) {
                endedTwice.add(session);
            }
        }

        @Override
        public void entryEnded(EntryCall entry) {
        }

        @Override
        public void connectAbandoned(SmtpSession attempt) {
        }
    };

    private static int commandsSeen(SmtpSession session) {
        return session.commands().size() + session.commandsNotRecorded();
    }

    @Test
    void endAllOpenWhileEveryConnectionIsMidCommand() throws Exception {
        SessionRecorder recorder = new SessionRecorder(sink, true, 50);
        CountDownLatch connected = new CountDownLatch(CONNECTIONS);
        AtomicBoolean stop = new AtomicBoolean();
        List<Throwable> failures = Collections.synchronizedList(new ArrayList<>());
        List<Thread> apps = new ArrayList<>();
        for (int c = 0; c < CONNECTIONS; c++) {
            Thread app = new Thread(() -> {
                try {
                    Object transport = new Object();
                    recorder.connectStarted(transport, new MailLibrary(MailLibrary.JAVAX, Object.class),
                        "mail.example.com", 25, new SmtpConfig("smtp", false, false, false, false, false, false, null,
                            false, null, Collections.<String>emptySet(), 0, 0, 0));
                    recorder.replyRead(transport, 220, "220 ready\n", null);
                    connected.countDown();
                    byte[] noop = "NOOP".getBytes(StandardCharsets.US_ASCII);
                    while (!stop.get()) {
                        recorder.commandSent(transport, noop, null);
                        recorder.replyRead(transport, 250, "250 ok\n", null);
                    }
                    // the library closes the socket after the exit hook ran: nothing must happen twice
                    recorder.connectionClosed(transport);
                    recorder.connectEnded(transport, null, null);
                } catch (Throwable t) {
                    failures.add(t);
                }
            }, "app-" + c);
            app.start();
            apps.add(app);
        }
        connected.await();
        Thread.sleep(20);

        recorder.endAllOpen();
        Thread.sleep(20);
        stop.set(true);
        for (Thread app : apps) {
            app.join();
        }

        assertEquals(List.of(), failures);
        assertEquals(List.of(), endedTwice);
        assertEquals(CONNECTIONS, handedOn.size());
        for (Map.Entry<SmtpSession, Integer> e : handedOn.entrySet()) {
            SmtpSession session = e.getKey();
            assertTrue(session.openAtExit());
            assertEquals(e.getValue().intValue(), commandsSeen(session), "the session changed after it was handed on");
        }
    }
}
