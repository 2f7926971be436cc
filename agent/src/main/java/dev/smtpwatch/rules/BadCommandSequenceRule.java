package dev.smtpwatch.rules;

import dev.smtpwatch.session.SmtpCommand;
import dev.smtpwatch.session.SmtpSession;
import java.util.Collections;
import java.util.List;

/**
 * {@code bad-command-sequence}: the server replied 503 (bad sequence of commands). A 503 that names TLS is
 * {@code server-requires-starttls} instead. One finding per session, for the first such reply. A 503 to a command
 * sent after STARTTLS without a new EHLO is blamed on the missing EHLO (Postfix: "send HELO/EHLO first"); the
 * libraries do this when they answer a 530 to AUTH with a STARTTLS of their own and repeat AUTH at once.
 */
public final class BadCommandSequenceRule implements Rule {
    @Override
    public List<Finding> judge(SmtpSession session) {
        boolean noEhloSinceStartTls = false;
        for (SmtpCommand command : session.commandsToJudge()) {
            if (command.reply() == 503 && !ServerRequiresStartTlsRule.refusedForWantOfTls(command)) {
                return Collections.singletonList(finding(session, command, noEhloSinceStartTls));
            }
            if (command.is("STARTTLS")) {
                noEhloSinceStartTls = command.reply() == 220;
            } else if (command.is("EHLO") || command.is("HELO")) {
                noEhloSinceStartTls = false;
            }
        }
        return Collections.emptyList();
    }

    private static Finding finding(SmtpSession session, SmtpCommand command, boolean noEhloSinceStartTls) {
        String where = SessionFacts.where(session);
        String message = where + " replied 503 (bad sequence of commands) to " + command.verb();
        if (noEhloSinceStartTls) {
            return new Finding("bad-command-sequence", Severity.MEDIUM,
                message + " because the client sent no EHLO after STARTTLS, " + SessionFacts.LIBRARY_AUTH_RETRY,
                Fixes.startTlsBeforeAuth(session));
        }
        if (command.is("AUTH")) {
            return new Finding("bad-command-sequence", Severity.MEDIUM,
                message + ", as a server does when AUTH is not enabled on this connection or the client already"
                    + " authenticated",
                Fixes.set(session, Fixes.key(session, "auth") + "=false") + " if " + where
                    + " needs no login, or enable AUTH on it (Postfix: smtpd_sasl_auth_enable=yes)");
        }
        return new Finding("bad-command-sequence", Severity.MEDIUM,
            message + ", which usually means one connected Transport was used by several threads at once or"
                + " reused after a failed command",
            "give each thread its own Transport (or use Transport.send, which connects per message) instead of"
                + " sharing a connected Transport");
    }
}
