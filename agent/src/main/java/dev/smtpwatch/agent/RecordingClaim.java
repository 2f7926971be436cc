package dev.smtpwatch.agent;

/**
 * Which of smtpwatch's two forms records this JVM's mail sessions when both are attached: the standalone agent
 * ({@code -javaagent:smtpwatch-agent.jar}) and the OpenTelemetry Java agent extension. The first to start claims
 * it; the other stays idle and says so once, so no session is recorded, reported or exported twice. The claim is
 * a system property: the two forms live in different class loaders, and properties are the one JVM-wide map both
 * see (its name is outside {@code smtpwatch.*}, which holds settings).
 */
public final class RecordingClaim {
    static final String PROPERTY = "dev.smtpwatch.recording";
    public static final String STANDALONE_AGENT = "smtpwatch-agent.jar (-javaagent)";
    public static final String OTEL_EXTENSION =
        "the smtpwatch extension of the OpenTelemetry Java agent (otel.javaagent.extensions)";

    private RecordingClaim() {
    }

    /** Null when {@code form} now records; else the form that already does. */
    public static String claim(String form) {
        Object earlier = System.getProperties().putIfAbsent(PROPERTY, form);
        return earlier == null || form.equals(earlier) ? null : String.valueOf(earlier);
    }

    /** The one line the idle form logs. */
    public static String idleWarning(String form, String recording) {
        return recording + " already records this JVM's mail sessions; " + form
            + " stays idle (attach only one of them)";
    }
}
