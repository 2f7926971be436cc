package dev.smtpwatch.rules;

import dev.smtpwatch.session.SmtpSession;
import dev.smtpwatch.session.TlsMode;
import java.util.Collections;
import java.util.List;

/** {@code starttls-not-used}: the server offered STARTTLS, the client never issued it, and sent AUTH or mail. */
public final class StartTlsNotUsedRule implements Rule {
    @Override
    public List<Finding> judge(SmtpSession session) {
        if (!session.startTlsOffered() || session.tlsMode() != TlsMode.NONE) {
            return Collections.emptyList();
        }
        String leaked = SessionFacts.sentInPlaintext(session);
        if (leaked == null) {
            return Collections.emptyList();
        }
        return Collections.singletonList(new Finding("starttls-not-used", Severity.HIGH,
            SessionFacts.where(session) + " offered STARTTLS but the client never issued it and sent " + leaked
                + " in plaintext " + SessionFacts.whyPlaintext(session),
            Fixes.requireStartTls(session)));
    }
}
