package dev.smtpwatch.rules;

import dev.smtpwatch.session.SmtpSession;
import java.util.Collections;
import java.util.List;

/**
 * {@code hostname-verification-off}: TLS without a server identity check. {@code ssl.checkserveridentity} defaults
 * to false in javax.mail 1.x and com.sun.mail jakarta.mail 2.0, to true in Angus Mail 2; the recorded config holds
 * the effective value.
 */
public final class HostnameVerificationOffRule implements Rule {
    @Override
    public List<Finding> judge(SmtpSession session) {
        if (!session.tlsEstablished() || session.config().checkServerIdentity()) {
            return Collections.emptyList();
        }
        String key = Fixes.key(session, "ssl.checkserveridentity");
        boolean byDefault = !session.library().checksServerIdentityByDefault();
        String why = byDefault
            ? key + " is not set and " + session.library().name() + " defaults it to false"
            : key + "=false is set";
        return Collections.singletonList(new Finding("hostname-verification-off", Severity.MEDIUM,
            "TLS with " + SessionFacts.where(session) + " does not check that the certificate names "
                + session.serverAddress() + ", because " + why,
            Fixes.set(session, key + "=true") + (byDefault ? " and connect by the DNS name the certificate lists"
                + " (com.sun.mail matches DNS names only, not IP addresses)" : "")));
    }
}
