package dev.smtpwatch.session;

import java.util.List;

/**
 * {@code enforce}: asked before each command (and each AUTH continuation line) leaves, while nothing of it is on
 * the wire yet. The recorder marks a command it refuses as blocked; the library call then fails.
 */
public interface CommandGuard {
    /**
     * @param command the command about to leave, already recorded in {@code session}; for an AUTH continuation
     *                line, the AUTH it belongs to
     * @return the ids of the enforced findings this command would cause; empty to let it go
     */
    List<String> findingsCausedBy(SmtpSession session, SmtpCommand command);

    /** What the app's exception says, once the command is marked blocked: never a credential. */
    String blockedMessage(SmtpSession session, String findingId);
}
