package dev.smtpwatch.rules;

import dev.smtpwatch.session.SmtpCommand;
import dev.smtpwatch.session.SmtpSession;
import java.util.Collections;
import java.util.List;

/** {@code cleartext-auth}: an AUTH command, and so the credentials, went over a connection without TLS. */
public final class CleartextAuthRule implements Rule {
    @Override
    public List<Finding> judge(SmtpSession session) {
        SmtpCommand auth = session.auth();
        if (auth == null || auth.tls()) {
            return Collections.emptyList();
        }
        return Collections.singletonList(new Finding("cleartext-auth", Severity.CRITICAL,
            "credentials (" + SessionFacts.auth(auth) + ") were sent to " + SessionFacts.where(session)
                + " without TLS " + SessionFacts.whyPlaintext(session),
            Fixes.requireStartTls(session)));
    }
}
