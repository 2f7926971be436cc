package dev.smtpwatch.session;

/** How a session used TLS, as the report's {@code tls.mode} names it. */
public enum TlsMode {
    /** TLS from the first byte (SMTPS, port 465 style). */
    IMPLICIT("implicit"),
    /** Plaintext first, then a STARTTLS command was sent. */
    STARTTLS("starttls"),
    NONE("none");

    private final String id;

    TlsMode(String id) {
        this.id = id;
    }

    public String id() {
        return id;
    }
}
