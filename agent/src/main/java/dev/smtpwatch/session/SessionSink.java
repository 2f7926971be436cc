package dev.smtpwatch.session;

/** Receives what the recorder finished; must not block (it runs on the app's sending thread). */
public interface SessionSink {
    void sessionEnded(SmtpSession session);

    /** An entry call ended; every session it caused was handed over before. */
    void entryEnded(EntryCall entry);
}
