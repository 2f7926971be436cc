package dev.smtpwatch.otel;

/** Where the spans and metrics of a session go, chosen per session when it is exported. */
enum TelemetryMode {
    /** The app's own opentelemetry-api, with a global OpenTelemetry (its SDK, or the Java agent's bridge). */
    APP_API("the app's OpenTelemetry (GlobalOpenTelemetry)", "META-INF/smtpwatch/bridge-app.jar"),
    /** The OpenTelemetry Java agent's relocated API in the bootstrap loader; the app has no API of its own. */
    JAVAAGENT("the OpenTelemetry Java agent", "META-INF/smtpwatch/bridge-javaagent.jar"),
    /** smtpwatch's own relocated SDK, configured by OTEL_* / otel.*. */
    EMBEDDED("smtpwatch's embedded SDK", null);

    private final String description;
    private final String bridgeJar;

    TelemetryMode(String description, String bridgeJar) {
        this.description = description;
        this.bridgeJar = bridgeJar;
    }

    /** The mode whose API this {@code GlobalOpenTelemetry} class belongs to. */
    static TelemetryMode of(Class<?> globalClass) {
        return globalClass.getName().startsWith(OtelApi.JAVAAGENT_PREFIX) ? JAVAAGENT : APP_API;
    }

    String description() {
        return description;
    }

    /** The nested jar of the bridge compiled against this mode's API, in the agent jar. */
    String bridgeJar() {
        return bridgeJar;
    }
}
