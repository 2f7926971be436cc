package dev.smtpwatch.rules;

import dev.smtpwatch.session.SmtpCommand;
import dev.smtpwatch.session.SmtpSession;
import java.util.Collections;
import java.util.List;

/** {@code cleartext-auth}: an AUTH command, and so the credentials, went over a connection without TLS. */
public final class CleartextAuthRule implements EnforceableRule {
    static final String ID = "cleartext-auth";

    @Override
    public String id() {
        return ID;
    }

    /** AUTH, or one of its continuation lines (judged as their AUTH), on a connection without TLS. */
    @Override
    public boolean causedBy(SmtpSession session, SmtpCommand command) {
        return command.is("AUTH") && !command.tls();
    }

    @Override
    public List<Finding> judge(SmtpSession session) {
        SmtpCommand auth = session.auth();
        if (auth == null || auth.tls()) {
            return Collections.emptyList();
        }
        String went = auth.blocked() ? " would have gone to " : " were sent to ";
        return Collections.singletonList(new Finding(ID, Severity.CRITICAL,
            "credentials (" + SessionFacts.auth(auth) + ")" + went + SessionFacts.where(session)
                + " without TLS " + SessionFacts.whyPlaintext(session),
            Fixes.requireStartTls(session)));
    }
}
