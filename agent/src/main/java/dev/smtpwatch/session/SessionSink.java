package dev.smtpwatch.session;

/** Receives what the recorder finished; must not block (it runs on the app's sending thread). */
public interface SessionSink {
    void sessionEnded(SmtpSession session);

    /** An entry call ended; every session it caused was handed over before. */
    void entryEnded(EntryCall entry);

    /**
     * The library gave up before opening a connection: AUTH is configured, the app gave no password and the mail
     * session has no {@code Authenticator} to ask. Not a session; the app's configuration can never connect.
     */
    void connectAbandoned(SmtpSession attempt);
}
