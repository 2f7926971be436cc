package dev.smtpwatch.session;

/** Receives each session once it has ended; must not block (it runs on the app's sending thread). */
public interface SessionSink {
    void sessionEnded(SmtpSession session);
}
