package dev.smtpwatch.rules;

import dev.smtpwatch.session.SmtpCommand;
import dev.smtpwatch.session.SmtpSession;
import java.util.Collections;
import java.util.List;

/**
 * {@code no-ehlo-after-starttls}: after TLS was established the next command was not EHLO/HELO. RFC 3207 §4.2:
 * the client must discard what it learned before TLS and issue EHLO again.
 */
public final class NoEhloAfterStartTlsRule implements Rule {
    @Override
    public List<Finding> judge(SmtpSession session) {
        List<SmtpCommand> commands = session.commandsToJudge();
        for (int i = 0; i + 1 < commands.size(); i++) {
            SmtpCommand next = commands.get(i + 1);
            if (commands.get(i).is("STARTTLS") && commands.get(i).reply() == 220 && next.tls()
                && !next.is("EHLO") && !next.is("HELO")) {
                return Collections.singletonList(new Finding("no-ehlo-after-starttls", Severity.MEDIUM,
                    "after STARTTLS with " + SessionFacts.where(session) + " the client sent " + next.verb()
                        + " instead of EHLO, so it relied on extensions advertised before TLS (RFC 3207 §4.2)",
                    "let the library do STARTTLS (" + Fixes.key(session, "starttls.enable") + "=true) instead of"
                        + " issuing it by hand through SMTPTransport.issueCommand, or send EHLO right after it"));
            }
        }
        return Collections.emptyList();
    }
}
