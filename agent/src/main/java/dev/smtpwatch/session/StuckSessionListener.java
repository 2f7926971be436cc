package dev.smtpwatch.session;

/** Told by the watchdog, on its own thread, when a session has waited too long for one reply. */
public interface StuckSessionListener {
    void stuck(SmtpSession session, StuckWait wait);
}
