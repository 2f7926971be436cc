package dev.smtpwatch.otel;

import dev.smtpwatch.otel.bridge.Telemetry;
import dev.smtpwatch.otel.bridge.impl.OtelTelemetry;
import io.opentelemetry.sdk.OpenTelemetrySdk;
import io.opentelemetry.sdk.autoconfigure.AutoConfiguredOpenTelemetrySdk;
import io.opentelemetry.sdk.autoconfigure.spi.ConfigProperties;
import io.opentelemetry.sdk.common.CompletableResultCode;
import io.opentelemetry.sdk.metrics.export.MetricExporter;
import io.opentelemetry.sdk.trace.export.SpanExporter;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.TimeUnit;
import java.util.function.BiFunction;
import java.util.function.Supplier;
import java.util.logging.Handler;
import java.util.logging.Level;
import java.util.logging.LogRecord;
import org.slf4j.Logger;

/**
 * smtpwatch's own OpenTelemetry SDK (relocated into the agent jar), for apps that have none: configured the
 * standard way by autoconfigure ({@code OTEL_*} environment, {@code otel.*} system properties), exporting OTLP
 * through {@link OtlpHttpSender}. Never registered as global (the app may still set its own), no
 * shutdown hook of its own (the agent's hook drains the export queue first, then {@link #shutdown}s this), and the SDK's own
 * java.util.logging output is silenced: a failed export becomes one smtpwatch WARN line instead.
 */
final class EmbeddedSdk {
    /** The relocated SDK logs under this name; the app's own loggers are not touched. Held: JUL keeps loggers weakly. */
    private static final java.util.logging.Logger SDK_LOGS = java.util.logging.Logger.getLogger(
        OpenTelemetrySdk.class.getName().substring(0, OpenTelemetrySdk.class.getName().indexOf(".sdk.")));

    private final OpenTelemetrySdk sdk;
    private final Telemetry telemetry;
    private final ExportFailures failures;
    private final List<CountingSpanExporter> spanExporters;
    private final List<CountingMetricExporter> metricExporters;

    private EmbeddedSdk(OpenTelemetrySdk sdk, Telemetry telemetry, ExportFailures failures,
                        List<CountingSpanExporter> spanExporters, List<CountingMetricExporter> metricExporters) {
        this.sdk = sdk;
        this.telemetry = telemetry;
        this.failures = failures;
        this.spanExporters = spanExporters;
        this.metricExporters = metricExporters;
    }

    static EmbeddedSdk start(final Logger log, String version, final ExportFailures failures) {
        if (SDK_LOGS.getName().startsWith("dev.smtpwatch.")) {
            // Never the app's console: with debug=on as smtpwatch DEBUG lines, else not at all.
            SDK_LOGS.setUseParentHandlers(false);
            SDK_LOGS.setLevel(log.isDebugEnabled() ? Level.INFO : Level.OFF);
            if (log.isDebugEnabled()) {
                SDK_LOGS.addHandler(new Handler() {
                    @Override
                    public void publish(LogRecord record) {
                        log.debug("OpenTelemetry SDK: {} {}", record.getLevel(), record.getMessage());
                    }

                    @Override
                    public void flush() {
                    }

                    @Override
                    public void close() {
                    }
                });
            }
        }
        final List<CountingSpanExporter> spanExporters = new CopyOnWriteArrayList<CountingSpanExporter>();
        final List<CountingMetricExporter> metricExporters = new CopyOnWriteArrayList<CountingMetricExporter>();
        AutoConfiguredOpenTelemetrySdk configured = AutoConfiguredOpenTelemetrySdk.builder()
            .addPropertiesSupplier(new Supplier<Map<String, String>>() {
                @Override
                public Map<String, String> get() {
                    Map<String, String> defaults = new HashMap<String, String>();
                    defaults.put("otel.logs.exporter", "none");
                    // The SDK's own default is grpc, for which it would need OkHttp or grpc-java; the OpenTelemetry
                    // Java agent and the OTLP spec default to http/protobuf, which our sender speaks.
                    defaults.put("otel.exporter.otlp.protocol", "http/protobuf");
                    // A failed batch is dropped (and counted) rather than retried with back-off: retries of a
                    // collector that is down would hold up the app's exit, where the last batch is flushed.
                    defaults.put("otel.java.exporter.otlp.retry.disabled", "true");
                    return defaults;
                }
            })
            .addSpanExporterCustomizer(new BiFunction<SpanExporter, ConfigProperties, SpanExporter>() {
                @Override
                public SpanExporter apply(SpanExporter exporter, ConfigProperties config) {
                    failures.endpoint(Endpoints.traces(config));
                    CountingSpanExporter counting = new CountingSpanExporter(exporter, failures);
                    spanExporters.add(counting);
                    return counting;
                }
            })
            .addMetricExporterCustomizer(new BiFunction<MetricExporter, ConfigProperties, MetricExporter>() {
                @Override
                public MetricExporter apply(MetricExporter exporter, ConfigProperties config) {
                    CountingMetricExporter counting = new CountingMetricExporter(exporter, failures);
                    metricExporters.add(counting);
                    return counting;
                }
            })
            .disableShutdownHook()
            .build();
        OpenTelemetrySdk sdk = configured.getOpenTelemetrySdk();
        return new EmbeddedSdk(sdk, OtelTelemetry.of(sdk, version), failures, spanExporters, metricExporters);
    }

    Telemetry telemetry() {
        return telemetry;
    }

    /** Flushes what is buffered and stops, within {@code timeoutMillis}: the JVM is exiting. */
    void shutdown(long timeoutMillis) {
        for (CountingSpanExporter e : spanExporters) {
            e.exiting();
        }
        for (CountingMetricExporter e : metricExporters) {
            e.exiting();
        }
        CompletableResultCode done = sdk.shutdown();
        done.join(timeoutMillis, TimeUnit.MILLISECONDS);
        failures.atExit(done.isDone());
    }

    /** Where traces go, for the warning (the same rules as autoconfigure's). */
    static final class Endpoints {
        private Endpoints() {
        }

        static String traces(ConfigProperties config) {
            String protocol = config.getString("otel.exporter.otlp.traces.protocol",
                config.getString("otel.exporter.otlp.protocol", "http/protobuf"));
            String signal = config.getString("otel.exporter.otlp.traces.endpoint");
            if (signal != null) {
                return signal;
            }
            boolean grpc = "grpc".equals(protocol);
            String base = config.getString("otel.exporter.otlp.endpoint",
                grpc ? "http://localhost:4317" : "http://localhost:4318");
            if (grpc) {
                return base;
            }
            return (base.endsWith("/") ? base : base + "/") + "v1/traces";
        }
    }
}
