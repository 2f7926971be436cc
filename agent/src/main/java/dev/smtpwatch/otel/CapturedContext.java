package dev.smtpwatch.otel;

/** The app's current OpenTelemetry context at a send, and which copy of the API it belongs to. */
final class CapturedContext {
    final TelemetryMode source;
    /** The app's class loader for {@link TelemetryMode#APP_API}; null for the Java agent's bootstrap API. */
    final ClassLoader loader;
    final Object context;

    CapturedContext(TelemetryMode source, ClassLoader loader, Object context) {
        this.source = source;
        this.loader = loader;
        this.context = context;
    }
}
