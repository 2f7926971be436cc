package dev.smtpwatch.rules;

import dev.smtpwatch.session.SmtpCommand;
import dev.smtpwatch.session.SmtpSession;
import dev.smtpwatch.session.TlsMode;
import java.util.Collections;
import java.util.List;

/**
 * {@code starttls-downgrade}: STARTTLS was enabled but not required, the server did not offer it (a server without
 * TLS, or someone stripping it), and the client went on to authenticate or send mail in plaintext.
 */
public final class StartTlsDowngradeRule implements EnforceableRule {
    static final String ID = "starttls-downgrade";

    @Override
    public String id() {
        return ID;
    }

    /** The first AUTH or MAIL (and anything that would carry credentials or mail) on the downgraded connection. */
    @Override
    public boolean causedBy(SmtpSession session, SmtpCommand command) {
        return (command.is("AUTH") || command.is("MAIL")) && !command.tls() && downgraded(session);
    }

    @Override
    public List<Finding> judge(SmtpSession session) {
        if (!downgraded(session)) {
            return Collections.emptyList();
        }
        String leaked = SessionFacts.sentInPlaintext(session);
        String stopped = SessionFacts.blockedInPlaintext(session);
        if (leaked == null && stopped == null) {
            return Collections.emptyList();
        }
        String where = SessionFacts.where(session);
        String clientWent = leaked != null ? "the client sent " + leaked : "the client was about to send " + stopped;
        return Collections.singletonList(new Finding(ID, Severity.CRITICAL,
            where + " did not offer STARTTLS and " + clientWent + " in plaintext, because "
                + Fixes.key(session, "starttls.enable") + "=true only uses TLS when offered while "
                + Fixes.key(session, "starttls.required") + " is false",
            Fixes.set(session, Fixes.key(session, "starttls.required") + "=true")
                + " so the library refuses to continue without TLS, and enable STARTTLS on " + where));
    }

    /** STARTTLS wanted, not required, not offered, and the connection is still in plaintext. */
    private static boolean downgraded(SmtpSession session) {
        return session.config().startTlsEnable() && !session.config().startTlsRequired()
            && session.tlsMode() == TlsMode.NONE && !session.startTlsOffered();
    }
}
