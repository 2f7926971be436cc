package dev.smtpwatch.otel;

import java.net.ConnectException;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicLong;
import org.slf4j.Logger;

/**
 * Counts spans and metric batches the collector did not take, and says so once. While the collector refuses
 * connections, sessions' spans are not built at all ({@link #refusing}): building, batching and offering each span
 * to a port that refuses took ~27 µs of CPU per session on the export and SDK threads, on a core the app's threads
 * want, for spans that are dropped. The first export after the back-off is the look at the collector.
 */
final class ExportFailures {
    static final long FIRST_BACKOFF_MILLIS = 1_000;
    static final long MAX_BACKOFF_MILLIS = DefaultEndpoint.RETRY_MILLIS;

    private final Logger log;
    private final AtomicBoolean warned = new AtomicBoolean();
    private final AtomicLong droppedSpans = new AtomicLong();
    private final AtomicLong failedMetricExports = new AtomicLong();
    private volatile String endpoint = "the OTLP endpoint";
    /** Until when spans are not built, the collector having refused the last export; 0 while it answers. */
    private volatile long refusingUntilMillis;
    private long backoffMillis;

    ExportFailures(Logger log) {
        this.log = log;
    }

    void endpoint(String endpoint) {
        this.endpoint = endpoint;
    }

    void spansFailed(int count, Throwable reason) {
        droppedSpans.addAndGet(count);
        warnOnce(reason);
        if (rootCause(reason) instanceof ConnectException) {
            backOff(System.currentTimeMillis());
        }
    }

    private synchronized void backOff(long nowMillis) {
        backoffMillis = backoffMillis == 0 ? FIRST_BACKOFF_MILLIS : Math.min(MAX_BACKOFF_MILLIS, backoffMillis * 2);
        refusingUntilMillis = nowMillis + backoffMillis;
    }

    synchronized void spansExported() {
        backoffMillis = 0;
        refusingUntilMillis = 0;
    }

    /** Whether the collector refused the last export less than its back-off ago: then a span is not built. */
    boolean refusing(long nowMillis) {
        return nowMillis < refusingUntilMillis;
    }

    /** A session's span not built while the collector refuses connections. */
    void spanNotBuilt() {
        droppedSpans.incrementAndGet();
    }

    /** A session's span not even attempted: nothing listens at {@code endpoint} (see {@link DefaultEndpoint}). */
    void collectorDown(String endpoint, Throwable reason) {
        this.endpoint = endpoint;
        spansFailed(1, reason);
    }

    void metricsFailed(Throwable reason) {
        failedMetricExports.incrementAndGet();
        warnOnce(reason);
    }

    long droppedSpans() {
        return droppedSpans.get();
    }

    private void warnOnce(Throwable reason) {
        if (warned.compareAndSet(false, true)) {
            log.warn("could not export spans to {} ({}); mail is sent as usual, spans and metrics are dropped "
                + "until the collector answers (set OTEL_EXPORTER_OTLP_ENDPOINT, or otel=off)", endpoint,
                describe(reason));
        }
    }

    void atExit(boolean flushed) {
        if (droppedSpans.get() > 0 || failedMetricExports.get() > 0 || !flushed) {
            log.debug("OpenTelemetry at exit: {} spans dropped, {} metric exports failed{}", droppedSpans.get(),
                failedMetricExports.get(), flushed ? "" : ", flush timed out");
        }
    }

    private static Throwable rootCause(Throwable reason) {
        Throwable root = reason;
        while (root != null && root.getCause() != null && root.getCause() != root) {
            root = root.getCause();
        }
        return root;
    }

    private static String describe(Throwable reason) {
        if (reason == null) {
            return "export failed";
        }
        Throwable root = rootCause(reason);
        String message = root.getMessage();
        String type = root.getClass().getSimpleName();
        return message == null || message.isEmpty() ? type : type + ": " + message.replace('\n', ' ').replace('\r', ' ');
    }
}
