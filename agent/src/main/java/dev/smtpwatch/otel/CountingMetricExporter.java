package dev.smtpwatch.otel;

import io.opentelemetry.exporter.otlp.http.metrics.OtlpHttpMetricExporter;
import io.opentelemetry.sdk.common.CompletableResultCode;
import io.opentelemetry.sdk.common.export.MemoryMode;
import io.opentelemetry.sdk.metrics.Aggregation;
import io.opentelemetry.sdk.metrics.InstrumentType;
import io.opentelemetry.sdk.metrics.data.AggregationTemporality;
import io.opentelemetry.sdk.metrics.data.MetricData;
import io.opentelemetry.sdk.metrics.export.MetricExporter;
import java.util.Collection;

/** The embedded SDK's OTLP metric exporter, noting failed exports; without retries at exit, like the spans'. */
final class CountingMetricExporter implements MetricExporter {
    private final MetricExporter regular;
    private final ExportFailures failures;
    private volatile MetricExporter delegate;

    CountingMetricExporter(MetricExporter delegate, ExportFailures failures) {
        this.regular = delegate;
        this.delegate = delegate;
        this.failures = failures;
    }

    void exiting() {
        if (regular instanceof OtlpHttpMetricExporter) {
            try {
                delegate = ((OtlpHttpMetricExporter) regular).toBuilder().setRetryPolicy(null).build();
            } catch (RuntimeException keepRetrying) {
                // the regular exporter then
            }
        }
    }

    @Override
    public CompletableResultCode export(Collection<MetricData> metrics) {
        final CompletableResultCode result = delegate.export(metrics);
        result.whenComplete(new Runnable() {
            @Override
            public void run() {
                if (!result.isSuccess()) {
                    failures.metricsFailed(result.getFailureThrowable());
                }
            }
        });
        return result;
    }

    @Override
    public AggregationTemporality getAggregationTemporality(InstrumentType instrumentType) {
        return delegate.getAggregationTemporality(instrumentType);
    }

    @Override
    public Aggregation getDefaultAggregation(InstrumentType instrumentType) {
        return delegate.getDefaultAggregation(instrumentType);
    }

    @Override
    public MemoryMode getMemoryMode() {
        return delegate.getMemoryMode();
    }

    @Override
    public CompletableResultCode flush() {
        return delegate.flush();
    }

    @Override
    public CompletableResultCode shutdown() {
        MetricExporter current = delegate;
        if (current == regular) {
            return regular.shutdown();
        }
        return CompletableResultCode.ofAll(java.util.Arrays.asList(current.shutdown(), regular.shutdown()));
    }
}
