package dev.smtpwatch.rules;

import dev.smtpwatch.session.SmtpSession;
import dev.smtpwatch.session.TlsMode;
import java.util.Collections;
import java.util.List;

/**
 * {@code starttls-downgrade}: STARTTLS was enabled but not required, the server did not offer it (a server without
 * TLS, or someone stripping it), and the client went on to authenticate or send mail in plaintext.
 */
public final class StartTlsDowngradeRule implements Rule {
    @Override
    public List<Finding> judge(SmtpSession session) {
        String leaked = SessionFacts.sentInPlaintext(session);
        if (!session.config().startTlsEnable() || session.config().startTlsRequired()
            || session.tlsMode() != TlsMode.NONE || session.startTlsOffered() || leaked == null) {
            return Collections.emptyList();
        }
        String where = SessionFacts.where(session);
        return Collections.singletonList(new Finding("starttls-downgrade", Severity.CRITICAL,
            where + " did not offer STARTTLS and the client sent " + leaked + " in plaintext, because "
                + Fixes.key(session, "starttls.enable") + "=true only uses TLS when offered while "
                + Fixes.key(session, "starttls.required") + " is false",
            Fixes.set(session, Fixes.key(session, "starttls.required") + "=true")
                + " so the library refuses to continue without TLS, and enable STARTTLS on " + where));
    }
}
