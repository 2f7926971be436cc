package dev.smtpwatch.rules;

import dev.smtpwatch.session.SmtpCommand;
import dev.smtpwatch.session.SmtpSession;
import java.util.Collections;
import java.util.List;

/**
 * {@code bad-command-sequence}: the server replied 503 (bad sequence of commands). A 503 that names TLS is
 * {@code server-requires-starttls} instead. One finding per session, for the first such reply.
 */
public final class BadCommandSequenceRule implements Rule {
    @Override
    public List<Finding> judge(SmtpSession session) {
        for (SmtpCommand command : session.commandsToJudge()) {
            if (command.reply() == 503 && !ServerRequiresStartTlsRule.refusedForWantOfTls(command)) {
                return Collections.singletonList(finding(session, command));
            }
        }
        return Collections.emptyList();
    }

    private static Finding finding(SmtpSession session, SmtpCommand command) {
        String where = SessionFacts.where(session);
        String message = where + " replied 503 (bad sequence of commands) to " + command.verb();
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
