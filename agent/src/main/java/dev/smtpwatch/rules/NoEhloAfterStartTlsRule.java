package dev.smtpwatch.rules;

import dev.smtpwatch.session.SmtpCommand;
import dev.smtpwatch.session.SmtpSession;
import java.util.Collections;
import java.util.List;

/**
 * {@code no-ehlo-after-starttls}: after TLS was established the next command was not EHLO/HELO. RFC 3207 §4.2:
 * the client must discard what it learned before TLS and issue EHLO again. javax.mail, Jakarta Mail and Angus skip
 * it in one path: a 530 to AUTH makes them issue STARTTLS and repeat AUTH at once.
 */
public final class NoEhloAfterStartTlsRule implements Rule {
    @Override
    public List<Finding> judge(SmtpSession session) {
        List<SmtpCommand> commands = session.commandsToJudge();
        for (int i = 0; i + 1 < commands.size(); i++) {
            SmtpCommand next = commands.get(i + 1);
            if (commands.get(i).is("STARTTLS") && commands.get(i).reply() == 220 && next.tls()
                && !next.is("EHLO") && !next.is("HELO")) {
                String message = "after STARTTLS with " + SessionFacts.where(session) + " the client sent "
                    + next.verb() + " instead of EHLO, so it relied on extensions advertised before TLS"
                    + " (RFC 3207 §4.2)";
                if (i > 0 && commands.get(i - 1).is("AUTH") && commands.get(i - 1).reply() == 530) {
                    return Collections.singletonList(new Finding("no-ehlo-after-starttls", Severity.MEDIUM,
                        message + ", " + SessionFacts.LIBRARY_AUTH_RETRY, Fixes.startTlsBeforeAuth(session)));
                }
                return Collections.singletonList(new Finding("no-ehlo-after-starttls", Severity.MEDIUM, message,
                    "let the library do STARTTLS (" + Fixes.key(session, "starttls.enable") + "=true) instead of"
                        + " issuing it by hand through SMTPTransport.issueCommand, or send EHLO right after it"));
            }
        }
        return Collections.emptyList();
    }
}
