package dev.smtpwatch.export;

import dev.smtpwatch.session.SmtpSession;

/**
 * Where the agent's operator lines (finding WARNs, per-session INFO lines) go: the agent's own stderr logger, or
 * the app's logging ({@code log=app}). The session says whose line it is: the app's logging is found through its
 * mail library's class loader.
 */
public interface LogLines {
    void warn(SmtpSession session, String line);

    void info(SmtpSession session, String line);
}
