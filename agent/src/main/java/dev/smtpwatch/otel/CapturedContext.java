package dev.smtpwatch.otel;

/** The app's current OpenTelemetry context at a send, and which copy of the API it belongs to. */
final class CapturedContext {
    /**
     * That copy's {@code GlobalOpenTelemetry} class: the app's (in its class loader) or the OpenTelemetry Java
     * agent's relocated one (bootstrap). The session's span goes to the bridge over this copy.
     */
    final Class<?> globalClass;
    final Object context;

    CapturedContext(Class<?> globalClass, Object context) {
        this.globalClass = globalClass;
        this.context = context;
    }
}
