package dev.smtpwatch.session;

/**
 * The outermost instrumented call of the app that caused SMTP sessions, such as Spring's
 * {@code JavaMailSender.send}: the sessions it opened name it as their {@code entry}, and tracing makes it their
 * parent span.
 */
public final class EntryCall {
    private final String id;
    private final String operation;
    private final long startEpochMillis;
    private final long startNanos;
    private final Object callerContext;
    private long durationNanos = -1;
    private SmtpError error;

    /**
     * @param id what the report calls it ({@code spring.JavaMailSender.send})
     * @param operation the span name ({@code JavaMailSender.send})
     * @param callerContext the app's trace context when the call began, as {@link CallerContext} captured it
     */
    public EntryCall(String id, String operation, long startEpochMillis, long startNanos, Object callerContext) {
        this.id = id;
        this.operation = operation;
        this.startEpochMillis = startEpochMillis;
        this.startNanos = startNanos;
        this.callerContext = callerContext;
    }

    public String id() {
        return id;
    }

    public String operation() {
        return operation;
    }

    public long startEpochMillis() {
        return startEpochMillis;
    }

    public long startNanos() {
        return startNanos;
    }

    public Object callerContext() {
        return callerContext;
    }

    /** -1 while the call is running. */
    public long durationNanos() {
        return durationNanos;
    }

    /** What the call threw, or null. */
    public SmtpError error() {
        return error;
    }

    void ended(long endNanos, SmtpError thrown) {
        durationNanos = Math.max(0, endNanos - startNanos);
        error = thrown;
    }
}
