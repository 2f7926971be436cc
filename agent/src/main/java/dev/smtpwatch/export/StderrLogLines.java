package dev.smtpwatch.export;

import dev.smtpwatch.session.SmtpSession;
import org.slf4j.Logger;

/** The lines through the agent's own logger ({@code WARN smtpwatch ...} on stderr): {@code log=warn}, {@code info}. */
public final class StderrLogLines implements LogLines {
    private final Logger log;

    public StderrLogLines(Logger log) {
        this.log = log;
    }

    @Override
    public void warn(SmtpSession session, String line) {
        log.warn(line);
    }

    @Override
    public void info(SmtpSession session, String line) {
        log.info(line);
    }
}
