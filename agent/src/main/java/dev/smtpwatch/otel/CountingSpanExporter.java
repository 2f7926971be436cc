package dev.smtpwatch.otel;

import io.opentelemetry.exporter.otlp.http.trace.OtlpHttpSpanExporter;
import io.opentelemetry.sdk.common.CompletableResultCode;
import io.opentelemetry.sdk.trace.data.SpanData;
import io.opentelemetry.sdk.trace.export.SpanExporter;
import java.util.Collection;

/**
 * The embedded SDK's OTLP span exporter, counting the spans of every failed export. At JVM exit it switches to a
 * copy without retries: the exporter's retry back-off (up to ~5 s with nothing listening) would only hold up the
 * app's exit for a collector that is down.
 */
final class CountingSpanExporter implements SpanExporter {
    private final SpanExporter regular;
    private final ExportFailures failures;
    private volatile SpanExporter delegate;

    CountingSpanExporter(SpanExporter delegate, ExportFailures failures) {
        this.regular = delegate;
        this.delegate = delegate;
        this.failures = failures;
    }

    void exiting() {
        if (regular instanceof OtlpHttpSpanExporter) {
            try {
                delegate = ((OtlpHttpSpanExporter) regular).toBuilder().setRetryPolicy(null).build();
            } catch (RuntimeException keepRetrying) {
                // the regular exporter then; the agent's shutdown bound still applies
            }
        }
    }

    @Override
    public CompletableResultCode export(Collection<SpanData> spans) {
        final int count = spans.size();
        final CompletableResultCode result = delegate.export(spans);
        result.whenComplete(new Runnable() {
            @Override
            public void run() {
                if (result.isSuccess()) {
                    failures.spansExported();
                } else {
                    failures.spansFailed(count, result.getFailureThrowable());
                }
            }
        });
        return result;
    }

    @Override
    public CompletableResultCode flush() {
        return delegate.flush();
    }

    @Override
    public CompletableResultCode shutdown() {
        SpanExporter current = delegate;
        if (current == regular) {
            return regular.shutdown();
        }
        return CompletableResultCode.ofAll(java.util.Arrays.asList(current.shutdown(), regular.shutdown()));
    }
}
