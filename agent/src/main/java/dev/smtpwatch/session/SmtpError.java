package dev.smtpwatch.session;

import java.util.ArrayList;
import java.util.Collections;
import java.util.List;

/** The exception that ended a session, with its cause chain (class names and messages) for the rules. */
public final class SmtpError {
    private static final int MAX_CAUSES = 8;
    /** What the report shows of a message: an exception may quote a whole reply, of any length. */
    private static final int MAX_MESSAGE = 1000;

    private final String type;
    private final String message;
    private final List<SmtpError> causes;

    public SmtpError(String type, String message) {
        this(type, message, Collections.<SmtpError>emptyList());
    }

    private SmtpError(String type, String message, List<SmtpError> causes) {
        this.type = type;
        this.message = atMost(message, MAX_MESSAGE);
        this.causes = causes;
    }

    public static SmtpError of(Throwable thrown) {
        List<SmtpError> causes = new ArrayList<SmtpError>();
        Throwable cause = thrown.getCause();
        while (cause != null && causes.size() < MAX_CAUSES) {
            causes.add(new SmtpError(cause.getClass().getName(), cause.getMessage()));
            cause = cause.getCause() == cause ? null : cause.getCause();
        }
        return new SmtpError(thrown.getClass().getName(), thrown.getMessage(), Collections.unmodifiableList(causes));
    }

    /** {@code text} cut to {@code max} characters (an exception may quote a whole reply); null stays null. */
    static String atMost(String text, int max) {
        return text == null || text.length() <= max ? text : text.substring(0, max);
    }

    public String type() {
        return type;
    }

    /** As the exception said it (may be null); exporters escape it. */
    public String message() {
        return message;
    }

    /** The causes, outermost first, without this error itself. */
    public List<SmtpError> causes() {
        return causes;
    }

    /** Whether this error or any cause has the given class simple name or message fragment. */
    public boolean mentions(String fragment) {
        if (contains(type, fragment) || contains(message, fragment)) {
            return true;
        }
        for (SmtpError cause : causes) {
            if (cause.mentions(fragment)) {
                return true;
            }
        }
        return false;
    }

    private static boolean contains(String text, String fragment) {
        return text != null && text.contains(fragment);
    }
}
