package dev.smtpwatch.otel;

/** Where smtpwatch's spans and metrics go, chosen once, at the first exported session. */
enum TelemetryMode {
    /** The app's own opentelemetry-api, with a global OpenTelemetry (its SDK, or the Java agent's bridge). */
    APP_API("the app's OpenTelemetry (GlobalOpenTelemetry)"),
    /** The OpenTelemetry Java agent's relocated API in the bootstrap loader; the app has no API of its own. */
    JAVAAGENT("the OpenTelemetry Java agent"),
    /** smtpwatch's own relocated SDK, configured by OTEL_* / otel.*. */
    EMBEDDED("smtpwatch's embedded SDK");

    private final String description;

    TelemetryMode(String description) {
        this.description = description;
    }

    String description() {
        return description;
    }
}
