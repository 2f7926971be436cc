package dev.smtpwatch.testserver;

/** How the scripted server offers TLS. */
public enum TlsMode {
    /** No TLS: STARTTLS is not advertised and is answered {@code 502 5.5.1}. */
    NONE,
    /** STARTTLS advertised; the client may also go on in plaintext. */
    STARTTLS,
    /**
     * STARTTLS advertised and required: MAIL, RCPT, DATA and AUTH before it get
     * {@code 530 5.7.0 Must issue a STARTTLS command first}, and AUTH is not advertised before it (like Postfix with
     * {@code smtpd_tls_auth_only=yes}).
     */
    STARTTLS_REQUIRED,
    /** TLS from the first byte, like port 465; STARTTLS is answered as "TLS already active". */
    IMPLICIT
}
