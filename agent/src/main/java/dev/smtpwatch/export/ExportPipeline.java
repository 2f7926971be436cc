package dev.smtpwatch.export;

import dev.smtpwatch.rules.Finding;
import dev.smtpwatch.rules.RuleCatalog;
import dev.smtpwatch.session.AgentThreads;
import dev.smtpwatch.session.EntryCall;
import dev.smtpwatch.session.SessionSink;
import dev.smtpwatch.session.SmtpSession;
import java.lang.management.ManagementFactory;
import java.lang.management.ThreadMXBean;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.ArrayBlockingQueue;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicLong;
import org.slf4j.Logger;

/**
 * The hand-over from the app's sending thread to the agent: a bounded queue offer, nothing more. One daemon
 * thread judges each session and runs the exporters, so report lines of one JVM never interleave and no
 * exporter can slow a send. A full queue drops the session, counts it, and says so once.
 */
public final class ExportPipeline implements SessionSink {
    private static final int CAPACITY = 4096;
    /** Put behind the last session at exit; one extra slot keeps room for it. */
    private static final Object END = new Object();

    private static final int MAX_EXIT_WAIT_SECONDS = 30;
    /** How long the export thread lets sessions gather while they come in quick succession: a report line's delay. */
    private static final long LINGER_NANOS = TimeUnit.MILLISECONDS.toNanos(10);

    private final BlockingQueue<Object> queue = new ArrayBlockingQueue<Object>(CAPACITY + 1);
    private final RuleCatalog rules;
    private final List<SessionExporter> exporters;
    private final Logger log;
    private final AtomicBoolean started = new AtomicBoolean();
    private final AtomicLong dropped = new AtomicLong();
    private final Object exportLock = new Object();
    private volatile boolean closed;
    /** Export thread (or close(), after it): whether the first session sent by the app's logging was said. */
    private boolean sentByAppLoggingSaid;
    private volatile Thread worker;

    public ExportPipeline(RuleCatalog rules, List<SessionExporter> exporters, Logger log) {
        this.rules = rules;
        this.exporters = new ArrayList<SessionExporter>(exporters);
        this.log = log;
    }

    @Override
    public void sessionEnded(SmtpSession session) {
        // a mail the app's logging sent for one of our lines (log=app): its findings must not go there again
        enqueue(AppLogLines.callingAppLogging() ? new SentByAppLogging(session) : session);
    }

    @Override
    public void entryEnded(EntryCall entry) {
        enqueue(entry);
    }

    @Override
    public void connectAbandoned(SmtpSession attempt) {
        enqueue(new AbandonedConnect(attempt));
    }

    private void enqueue(Object ended) {
        if (started.compareAndSet(false, true)) {
            startWorker();
        }
        // at exit the export thread may still end sessions (a mail sent by the app's logging of our line): they
        // queue behind the end and close() exports them
        boolean refused = closed && Thread.currentThread() != worker;
        if ((refused || queue.size() >= CAPACITY || !queue.offer(ended)) && dropped.getAndIncrement() == 0) {
            log.warn("export queue full ({} sessions): sessions are dropped from the report until it drains",
                CAPACITY);
        }
    }

    private void startWorker() {
        worker = AgentThreads.newThread("smtpwatch-export", new Runnable() {
            @Override
            public void run() {
                drainUntilClosed();
            }
        }, true);
        worker.start();
    }

    private void drainUntilClosed() {
        try {
            long lastBatchEnd = Long.MIN_VALUE;
            while (exportBatch()) {
                long now = System.nanoTime();
                if (lastBatchEnd != Long.MIN_VALUE && now - lastBatchEnd < LINGER_NANOS * 2) {
                    // Sessions come one after another: let them gather instead of waking for each one. Every wake-up
                    // is a signal on the sending thread and a turn on a core the app wants; every batch is one write.
                    TimeUnit.NANOSECONDS.sleep(LINGER_NANOS);
                }
                lastBatchEnd = System.nanoTime();
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }

    /**
     * Waits for the next item, exports it and everything queued behind it, and tells the exporters the batch ended;
     * false at the end. A method of its own so that nothing refers to an item while the thread waits for the next: a
     * session names its library's class, and the last one would otherwise keep an undeployed webapp's class loader
     * for as long as no other mail is sent.
     */
    private boolean exportBatch() throws InterruptedException {
        Object next = queue.take();
        try {
            while (next != null) {
                if (next == END) {
                    return false;
                }
                export(next);
                next = queue.poll();
                if (next != null) {
                    // A batch runs for a while, and the app's threads woken meanwhile on this core would wait for
                    // its end: let them go first after each item.
                    Thread.yield();
                }
            }
            return true;
        } finally {
            batchEnded();
        }
    }

    private void export(Object ended) {
        synchronized (exportLock) {
            if (ended instanceof EntryCall) {
                final EntryCall entry = (EntryCall) ended;
                forEachExporter(new ExporterCall() {
                    @Override
                    public void on(SessionExporter exporter) {
                        exporter.entryEnded(entry);
                    }
                });
                return;
            }
            if (ended instanceof AbandonedConnect) {
                final SmtpSession attempt = ((AbandonedConnect) ended).attempt;
                forEachExporter(new ExporterCall() {
                    @Override
                    public void on(SessionExporter exporter) {
                        exporter.connectAbandoned(attempt);
                    }
                });
                return;
            }
            if (ended instanceof SentByAppLogging) {
                final SmtpSession session = ((SentByAppLogging) ended).session;
                if (!sentByAppLoggingSaid) {
                    sentByAppLoggingSaid = true;
                    log.info("log=app: the app's logging sent mail for a smtpwatch line (an SMTP appender); the"
                        + " findings of such mail go to stderr, never through the app's logging again");
                }
                AppLogLines.divertedToStderr(new Runnable() {
                    @Override
                    public void run() {
                        exportSession(session);
                    }
                });
                return;
            }
            exportSession((SmtpSession) ended);
        }
    }

    private void exportSession(final SmtpSession session) {
        final List<Finding> findings = judge(session);
        try {
            forEachExporter(new ExporterCall() {
                @Override
                public void on(SessionExporter exporter) {
                    exporter.export(session, findings);
                }
            });
        } finally {
            AppLogLines.spanOfSession(null, null);
        }
    }

    private List<Finding> judge(SmtpSession session) {
        try {
            return rules.judge(session);
        } catch (RuntimeException e) {
            log.debug("rules failed on a session", e);
            return new ArrayList<Finding>();
        }
    }

    /** One exporter failing never keeps the others from their work. */
    private void forEachExporter(ExporterCall call) {
        for (SessionExporter exporter : exporters) {
            try {
                call.on(exporter);
            } catch (RuntimeException e) {
                log.debug("exporter {} failed", exporter.getClass().getSimpleName(), e);
            }
        }
    }

    private void batchEnded() {
        synchronized (exportLock) {
            forEachExporter(new ExporterCall() {
                @Override
                public void on(SessionExporter exporter) {
                    exporter.batchEnded();
                }
            });
        }
    }

    /** @return true when {@code worker} ended; false when it spent a second without CPU time, or ran too long */
    private static boolean finishesWhileBusy(Thread worker) throws InterruptedException {
        ThreadMXBean threads = ManagementFactory.getThreadMXBean();
        boolean measurable = threads.isThreadCpuTimeSupported() && threads.isThreadCpuTimeEnabled();
        long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(MAX_EXIT_WAIT_SECONDS);
        while (worker.isAlive() && measurable && System.nanoTime() < deadline) {
            long cpu = threads.getThreadCpuTime(worker.getId());
            worker.join(1000);
            if (worker.isAlive() && threads.getThreadCpuTime(worker.getId()) == cpu) {
                return false;
            }
        }
        return !worker.isAlive();
    }

    /** Queued apart from sessions: it is never judged, reported or exported as one. */
    private static final class AbandonedConnect {
        final SmtpSession attempt;

        AbandonedConnect(SmtpSession attempt) {
            this.attempt = attempt;
        }
    }

    /** A session that ended inside the app's logging of a smtpwatch line: sent by Log4j's SMTP appender, say. */
    private static final class SentByAppLogging {
        final SmtpSession session;

        SentByAppLogging(SmtpSession session) {
            this.session = session;
        }
    }

    private interface ExporterCall {
        void on(SessionExporter exporter);
    }

    /**
     * At JVM exit, after open sessions were handed in: export what is queued, then close the exporters. An export
     * thread still at work after the first wait is waited for as long as it uses CPU (building the OpenTelemetry SDK
     * for an app whose first mail is also its last takes seconds on a loaded machine), up to
     * {@value #MAX_EXIT_WAIT_SECONDS} s; one that stopped using CPU is stuck in an exporter (a report path that is a
     * FIFO nobody reads): what is queued is then dropped and counted, never waited for, so the JVM exits.
     */
    public void close() {
        closed = true;
        Thread w = worker;
        if (w != null) {
            boolean stuck;
            try {
                if (queue.offer(END, 1, TimeUnit.SECONDS)) {
                    w.join(TimeUnit.SECONDS.toMillis(5));
                }
                stuck = w.isAlive() && !finishesWhileBusy(w);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                stuck = w.isAlive();
            }
            if (stuck) {
                int left = 0;
                for (Object queued : queue) {
                    left += queued == END ? 0 : 1;
                }
                queue.clear();
                // +1: the one the blocked exporter holds
                log.warn("the export thread is blocked in an exporter (a report file nobody reads? a hung"
                    + " collector?): {} sessions were dropped at exit{}", left + 1 + dropped.get(),
                    dropped.get() > 0 ? ", " + dropped.get() + " of them earlier because the export queue was full"
                        : "");
                return;
            }
        }
        Object next;
        while ((next = queue.poll()) != null) {
            if (next != END) {
                export(next);
            }
        }
        synchronized (exportLock) {
            for (SessionExporter exporter : exporters) {
                exporter.close();
            }
        }
        if (dropped.get() > 0) {
            log.warn("{} sessions were dropped because the export queue was full", dropped.get());
        }
    }
}
