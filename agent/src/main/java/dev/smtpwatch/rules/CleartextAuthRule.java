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
        String where = session.serverAddress() + ":" + session.serverPort();
        String prefix = "mail." + session.config().protocol() + ".";
        return Collections.singletonList(new Finding("cleartext-auth", Severity.CRITICAL,
            "credentials (AUTH " + auth.arg() + ") were sent to " + where + " without TLS",
            "set " + prefix + "starttls.enable=true and " + prefix + "starttls.required=true"
                + " (or use implicit TLS on port 465 with " + prefix + "ssl.enable=true)"));
    }
}
