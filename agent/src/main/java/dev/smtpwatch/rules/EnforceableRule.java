package dev.smtpwatch.rules;

import dev.smtpwatch.session.SmtpCommand;
import dev.smtpwatch.session.SmtpSession;

/** A rule whose finding one command causes, so {@code enforce} can refuse that command before it leaves. */
interface EnforceableRule extends Rule {
    String id();

    /** Whether sending {@code command} (already recorded in {@code session}) makes this finding true. */
    boolean causedBy(SmtpSession session, SmtpCommand command);
}
