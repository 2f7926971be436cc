package dev.smtpwatch.rules;

import dev.smtpwatch.session.SmtpSession;
import dev.smtpwatch.session.TlsMode;
import java.util.Collections;
import java.util.List;

/**
 * {@code starttls-not-required}: STARTTLS protected this session, but only because the server offered it; with
 * {@code starttls.required=false} a stripped STARTTLS would make the library fall back to plaintext silently.
 */
public final class StartTlsNotRequiredRule implements Rule {
    @Override
    public List<Finding> judge(SmtpSession session) {
        if (session.tlsMode() != TlsMode.STARTTLS || !session.tlsEstablished()
            || session.config().startTlsRequired()) {
            return Collections.emptyList();
        }
        String required = Fixes.key(session, "starttls.required");
        return Collections.singletonList(new Finding("starttls-not-required", Severity.MEDIUM,
            "STARTTLS protected " + SessionFacts.where(session) + " this time, but " + required
                + " is false, so a stripped STARTTLS would make the library fall back to plaintext silently",
            Fixes.set(session, required + "=true")));
    }
}
