package dev.smtpwatch.otel.bridge.impl;

import dev.smtpwatch.otel.bridge.Telemetry;
import io.opentelemetry.api.GlobalOpenTelemetry;
import io.opentelemetry.api.OpenTelemetry;
import io.opentelemetry.api.common.AttributeKey;
import io.opentelemetry.api.common.Attributes;
import io.opentelemetry.api.common.AttributesBuilder;
import io.opentelemetry.api.metrics.DoubleHistogram;
import io.opentelemetry.api.metrics.DoubleHistogramBuilder;
import io.opentelemetry.api.metrics.LongCounter;
import io.opentelemetry.api.metrics.Meter;
import io.opentelemetry.api.trace.Span;
import io.opentelemetry.api.trace.SpanBuilder;
import io.opentelemetry.api.trace.SpanKind;
import io.opentelemetry.api.trace.StatusCode;
import io.opentelemetry.api.trace.Tracer;
import io.opentelemetry.context.Context;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;

/**
 * {@link Telemetry} over the OpenTelemetry API. Compiled against the plain API; the build relocates copies of it
 * (see the module's pom). Uses only API calls that exist since 1.0, except bucket advice (1.32), which is
 * skipped on older APIs. A span handle is the {@link Context} holding the span.
 */
public final class OtelTelemetry implements Telemetry {
    private static final String SCOPE = "smtpwatch";

    private final Tracer tracer;
    private final Meter meter;
    private final Map<String, LongCounter> counters = new HashMap<String, LongCounter>();
    private final Map<String, DoubleHistogram> histograms = new HashMap<String, DoubleHistogram>();

    private OtelTelemetry(OpenTelemetry openTelemetry, String version) {
        this.tracer = openTelemetry.getTracer(SCOPE, version);
        this.meter = meter(openTelemetry, version);
    }

    private static Meter meter(OpenTelemetry openTelemetry, String version) {
        try {
            return openTelemetry.getMeterProvider().meterBuilder(SCOPE).setInstrumentationVersion(version).build();
        } catch (LinkageError beforeMetricsApi) {
            return null; // an app's API older than 1.10: spans only
        }
    }

    /** Over the OpenTelemetry the app (or the OpenTelemetry Java agent) registered as global. */
    public static Telemetry fromGlobal(String version) {
        return new OtelTelemetry(GlobalOpenTelemetry.get(), version);
    }

    /** Over the given {@code OpenTelemetry} (the agent's embedded SDK). */
    public static Telemetry of(Object openTelemetry, String version) {
        return new OtelTelemetry((OpenTelemetry) openTelemetry, version);
    }

    @Override
    public Object startSpan(String name, String kind, Object parent, long startEpochNanos,
                            Map<String, ?> attributes) {
        Context parentContext = parent instanceof Context ? (Context) parent : Context.root();
        SpanBuilder builder = tracer.spanBuilder(name)
            .setParent(parentContext)
            .setSpanKind(Telemetry.CLIENT.equals(kind) ? SpanKind.CLIENT : SpanKind.INTERNAL)
            .setStartTimestamp(startEpochNanos, TimeUnit.NANOSECONDS);
        Span span = builder.setAllAttributes(attributes(attributes)).startSpan();
        return parentContext.with(span);
    }

    @Override
    public void addEvent(Object span, String name, long epochNanos, Map<String, ?> attributes) {
        Span.fromContext((Context) span).addEvent(name, attributes(attributes), epochNanos, TimeUnit.NANOSECONDS);
    }

    @Override
    public void endSpan(Object span, String errorType, String errorDescription, long endEpochNanos) {
        Span s = Span.fromContext((Context) span);
        if (errorType != null) {
            s.setAttribute(AttributeKey.stringKey("error.type"), errorType);
            if (errorDescription != null) {
                s.setStatus(StatusCode.ERROR, errorDescription);
            } else {
                s.setStatus(StatusCode.ERROR);
            }
        }
        s.end(endEpochNanos, TimeUnit.NANOSECONDS);
    }

    @Override
    public void addToCounter(String name, String unit, String description, long increment,
                             Map<String, ?> attributes) {
        if (meter == null) {
            return;
        }
        LongCounter counter = counters.get(name);
        if (counter == null) {
            counter = meter.counterBuilder(name).setUnit(unit).setDescription(description).build();
            counters.put(name, counter);
        }
        counter.add(increment, attributes(attributes));
    }

    @Override
    public void recordInHistogram(String name, String unit, String description, double value,
                                  Map<String, ?> attributes, List<Double> boundaries) {
        if (meter == null) {
            return;
        }
        DoubleHistogram histogram = histograms.get(name);
        if (histogram == null) {
            DoubleHistogramBuilder builder = meter.histogramBuilder(name).setUnit(unit).setDescription(description);
            if (boundaries != null) {
                try {
                    builder = builder.setExplicitBucketBoundariesAdvice(new ArrayList<Double>(boundaries));
                } catch (LinkageError olderApi) {
                    // API before 1.32: the SDK's default buckets
                }
            }
            histogram = builder.build();
            histograms.put(name, histogram);
        }
        histogram.record(value, attributes(attributes));
    }

    @Override
    public String traceId(Object span) {
        return Span.fromContext((Context) span).getSpanContext().getTraceId();
    }

    @Override
    public String spanId(Object span) {
        return Span.fromContext((Context) span).getSpanContext().getSpanId();
    }

    private static Attributes attributes(Map<String, ?> values) {
        if (values == null || values.isEmpty()) {
            return Attributes.empty();
        }
        AttributesBuilder builder = Attributes.builder();
        for (Map.Entry<String, ?> e : values.entrySet()) {
            Object v = e.getValue();
            String key = e.getKey();
            if (v instanceof String) {
                builder.put(AttributeKey.stringKey(key), (String) v);
            } else if (v instanceof Boolean) {
                builder.put(AttributeKey.booleanKey(key), (Boolean) v);
            } else if (v instanceof Integer || v instanceof Long) {
                builder.put(AttributeKey.longKey(key), ((Number) v).longValue());
            } else if (v instanceof Double || v instanceof Float) {
                builder.put(AttributeKey.doubleKey(key), ((Number) v).doubleValue());
            } else if (v instanceof List) {
                List<String> strings = new ArrayList<String>();
                for (Object item : (List<?>) v) {
                    strings.add(String.valueOf(item));
                }
                builder.put(AttributeKey.stringArrayKey(key), strings);
            }
        }
        return builder.build();
    }
}
