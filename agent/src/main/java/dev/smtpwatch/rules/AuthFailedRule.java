package dev.smtpwatch.rules;

import dev.smtpwatch.session.SmtpCommand;
import dev.smtpwatch.session.SmtpSession;
import java.util.Collections;
import java.util.List;

/** {@code auth-failed}: the server rejected the credentials (535). */
public final class AuthFailedRule implements Rule {
    @Override
    public List<Finding> judge(SmtpSession session) {
        SmtpCommand auth = session.auth();
        if (auth == null || auth.reply() != 535) {
            return Collections.emptyList();
        }
        return Collections.singletonList(new Finding("auth-failed", Severity.LOW,
            SessionFacts.where(session) + " rejected the credentials of " + SessionFacts.auth(auth) + " with 535",
            "check the user name and password the app passes to Transport.connect (Spring Boot: spring.mail.username"
                + " and spring.mail.password), using an app password or OAuth2 (" + Fixes.key(session,
                "auth.mechanisms") + "=XOAUTH2) where the provider requires one, as Gmail and Microsoft 365 do"));
    }
}
