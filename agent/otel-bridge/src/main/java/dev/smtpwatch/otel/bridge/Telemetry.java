package dev.smtpwatch.otel.bridge;

import java.util.List;
import java.util.Map;

/**
 * What smtpwatch asks of OpenTelemetry, in JDK types only, so that one implementation serves the agent's own
 * embedded SDK, the app's opentelemetry-api and the OpenTelemetry Java agent's relocated API alike: the agent's
 * code sees only this interface, whichever copy of the implementation (and of the API) is behind it.
 *
 * <p>Spans are created after the fact with explicit timestamps and an explicit parent. Attribute values are
 * {@code String}, {@code Boolean}, {@code Integer}/{@code Long}, {@code Double} or a {@code List} of strings
 * (a string array attribute); anything else is ignored. Called from one thread (smtpwatch-export) only.
 */
public interface Telemetry {
    String CLIENT = "CLIENT";
    String INTERNAL = "INTERNAL";

    /**
     * @param kind {@link #CLIENT} or {@link #INTERNAL}
     * @param parent a context captured from the same API ({@code Context.current()}), a handle returned by this
     *     method, or null for a new trace
     * @return an opaque handle of the started span, also usable as the parent of other spans
     */
    Object startSpan(String name, String kind, Object parent, long startEpochNanos, Map<String, ?> attributes);

    void addEvent(Object span, String name, long epochNanos, Map<String, ?> attributes);

    /** @param errorType null for a span that succeeded; else its status becomes ERROR with {@code error.type} */
    void endSpan(Object span, String errorType, String errorDescription, long endEpochNanos);

    void addToCounter(String name, String unit, String description, long increment, Map<String, ?> attributes);

    /** @param boundaries explicit bucket boundaries advised to the SDK, or null for its defaults */
    void recordInHistogram(String name, String unit, String description, double value, Map<String, ?> attributes,
                           List<Double> boundaries);

    /** The trace id of a span handle (32 hex digits), for diagnostics. */
    String traceId(Object span);

    /** The span id of a span handle (16 hex digits), for the app's log lines (MDC {@code span_id}). */
    String spanId(Object span);
}
