package dev.smtpwatch.rules;

import dev.smtpwatch.session.SmtpCommand;
import dev.smtpwatch.session.SmtpSession;
import dev.smtpwatch.session.TlsMode;
import java.util.Collections;
import java.util.List;

/**
 * {@code starttls-unavailable}: the server answered STARTTLS with 454 (TLS not available) or another error. Also
 * raised when STARTTLS was required and the server did not advertise it, so the library refused to go on ("STARTTLS
 * is required but host does not support STARTTLS"): the same server-side problem, caught by the client.
 */
public final class StartTlsUnavailableRule implements Rule {
    private static final String NOT_SUPPORTED = "does not support STARTTLS";

    @Override
    public List<Finding> judge(SmtpSession session) {
        SmtpCommand startTls = SessionFacts.first(session, "STARTTLS");
        if (startTls != null && startTls.reply() != 220) {
            String answer = startTls.reply() == SmtpCommand.NO_REPLY ? " gave no reply to STARTTLS"
                : " answered STARTTLS with " + startTls.reply() + " instead of 220";
            String where = SessionFacts.where(session);
            String hint = startTls.reply() == 454 ? " (454 usually means it cannot load its certificate or key)" : "";
            return Collections.singletonList(new Finding("starttls-unavailable", Severity.HIGH,
                where + answer + ", so no TLS session could start",
                "fix TLS on the server at " + where + hint + orImplicitTls(session)));
        }
        if (startTls == null && session.tlsMode() == TlsMode.NONE && session.config().startTlsRequired()
            && !session.startTlsOffered() && SessionFacts.mentionsAny(session.error(), NOT_SUPPORTED)) {
            String where = SessionFacts.where(session);
            return Collections.singletonList(new Finding("starttls-unavailable", Severity.HIGH,
                where + " did not offer STARTTLS, so the client refused to continue ("
                    + Fixes.key(session, "starttls.required") + "=true) and the send failed",
                "enable STARTTLS on the server at " + where + " (Postfix: smtpd_tls_security_level=may) and check"
                    + " that nothing between app and server strips it" + orImplicitTls(session)));
        }
        return Collections.emptyList();
    }

    private static String orImplicitTls(SmtpSession session) {
        return ", or use implicit TLS on port " + SessionFacts.IMPLICIT_TLS_PORT + " with "
            + Fixes.key(session, "ssl.enable") + "=true";
    }
}
