package dev.smtpwatch.rules;

/** One problem found in a session: what happened, how bad it is, and the setting that fixes it. */
public final class Finding {
    private final String id;
    private final Severity severity;
    private final String message;
    private final String fix;
    private final String detail;

    public Finding(String id, Severity severity, String message, String fix) {
        this(id, severity, message, fix, null);
    }

    public Finding(String id, Severity severity, String message, String fix, String detail) {
        this.id = id;
        this.severity = severity;
        this.message = message;
        this.fix = fix;
        this.detail = detail;
    }

    public String id() {
        return id;
    }

    public Severity severity() {
        return severity;
    }

    /** What happened, naming host:port. */
    public String message() {
        return message;
    }

    /** The exact property or setting to change. */
    public String fix() {
        return fix;
    }

    /** A sub-classification (e.g. {@code untrusted-certificate} for tls-handshake-failed), or null. */
    public String detail() {
        return detail;
    }
}
