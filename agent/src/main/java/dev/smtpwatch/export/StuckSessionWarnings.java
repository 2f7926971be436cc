package dev.smtpwatch.export;

import dev.smtpwatch.rules.Finding;
import dev.smtpwatch.rules.SessionStuckRule;
import dev.smtpwatch.session.SmtpSession;
import dev.smtpwatch.session.StuckSessionListener;
import dev.smtpwatch.session.StuckWait;

/**
 * Logs {@code session-stuck} while the session hangs, on the watchdog's thread, in the same form as every finding.
 * The session keeps the wait, so the report line and the span get the finding when the session ends; the
 * {@link LogExporter} then does not log it a second time.
 */
public final class StuckSessionWarnings implements StuckSessionListener {
    private final LogLines log;
    private final SessionStuckRule rule = new SessionStuckRule();

    public StuckSessionWarnings(LogLines log) {
        this.log = log;
    }

    @Override
    public void stuck(SmtpSession session, StuckWait wait) {
        Finding f = rule.finding(session, wait, System.nanoTime());
        log.warn(session, LogExporter.warning(f));
    }
}
