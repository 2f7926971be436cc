package dev.smtpwatch.otel;

import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicLong;
import org.slf4j.Logger;

/** Counts spans and metric batches the collector did not take, and says so once. */
final class ExportFailures {
    private final Logger log;
    private final AtomicBoolean warned = new AtomicBoolean();
    private final AtomicLong droppedSpans = new AtomicLong();
    private final AtomicLong failedMetricExports = new AtomicLong();
    private volatile String endpoint = "the OTLP endpoint";

    ExportFailures(Logger log) {
        this.log = log;
    }

    void endpoint(String endpoint) {
        this.endpoint = endpoint;
    }

    void spansFailed(int count, Throwable reason) {
        droppedSpans.addAndGet(count);
        warnOnce(reason);
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

    private static String describe(Throwable reason) {
        if (reason == null) {
            return "export failed";
        }
        Throwable root = reason;
        while (root.getCause() != null && root.getCause() != root) {
            root = root.getCause();
        }
        String message = root.getMessage();
        String type = root.getClass().getSimpleName();
        return message == null || message.isEmpty() ? type : type + ": " + message.replace('\n', ' ').replace('\r', ' ');
    }
}
