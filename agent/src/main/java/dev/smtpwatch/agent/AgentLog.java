package dev.smtpwatch.agent;

import java.io.PrintStream;
import org.slf4j.Logger;
import org.slf4j.event.Level;
import org.slf4j.helpers.LegacyAbstractLogger;
import org.slf4j.helpers.MessageFormatter;

/**
 * The agent's own SLF4J backend: one line per event on stderr, {@code LEVEL smtpwatch message}. Built directly
 * rather than through SLF4J's service discovery so the app's logging setup is neither scanned nor touched,
 * and warnings show even when the app has no logging at all. Throwables are printed as one line, never as
 * a stack trace, unless debug is on.
 */
public final class AgentLog extends LegacyAbstractLogger {
    private static final long serialVersionUID = 1L;

    private final Level threshold;
    private final transient PrintStream out;

    private AgentLog(Level threshold, PrintStream out) {
        this.name = "smtpwatch";
        this.threshold = threshold;
        this.out = out;
    }

    /** @param debug whether DEBUG lines (the agent's self-diagnostics) are printed */
    public static Logger create(boolean debug) {
        return create(debug, System.err);
    }

    public static Logger create(boolean debug, PrintStream out) {
        return new AgentLog(debug ? Level.DEBUG : Level.INFO, out);
    }

    @Override
    public boolean isTraceEnabled() {
        return false;
    }

    @Override
    public boolean isDebugEnabled() {
        return threshold.toInt() <= Level.DEBUG.toInt();
    }

    @Override
    public boolean isInfoEnabled() {
        return true;
    }

    @Override
    public boolean isWarnEnabled() {
        return true;
    }

    @Override
    public boolean isErrorEnabled() {
        return true;
    }

    @Override
    protected String getFullyQualifiedCallerName() {
        return null;
    }

    @Override
    protected void handleNormalizedLoggingCall(Level level, org.slf4j.Marker marker, String messagePattern,
                                               Object[] arguments, Throwable throwable) {
        StringBuilder line = new StringBuilder(128).append(level.name()).append(" smtpwatch ")
            .append(MessageFormatter.basicArrayFormat(messagePattern, arguments));
        if (throwable != null) {
            line.append(": ").append(throwable);
        }
        out.println(line);
        if (throwable != null && isDebugEnabled()) {
            throwable.printStackTrace(out);
        }
    }
}
