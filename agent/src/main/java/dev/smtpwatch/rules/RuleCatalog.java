package dev.smtpwatch.rules;

import dev.smtpwatch.session.SmtpSession;
import java.time.Clock;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Collections;
import java.util.List;

/** Every rule, run in a fixed order so the findings of a session always come out the same way. */
public final class RuleCatalog {
    public static final int DEFAULT_CERT_EXPIRY_DAYS = 21;

    private final List<Rule> rules;

    public RuleCatalog(List<Rule> rules) {
        this.rules = Collections.unmodifiableList(new ArrayList<Rule>(rules));
    }

    /** Every finding of SPEC's table, in the table's order, with the default {@code cert.expiry.days}. */
    public static RuleCatalog standard() {
        return standard(DEFAULT_CERT_EXPIRY_DAYS, Clock.systemUTC());
    }

    /** @param certExpiryDays {@code cert.expiry.days}; @param clock "now" for the rules that compare dates */
    public static RuleCatalog standard(int certExpiryDays, Clock clock) {
        return new RuleCatalog(Arrays.<Rule>asList(
            new CleartextAuthRule(),
            new StartTlsDowngradeRule(),
            new StartTlsNotUsedRule(),
            new StartTlsNotRequiredRule(),
            new ImplicitTlsOnStartTlsPortRule(),
            new PlaintextOnImplicitTlsPortRule(),
            new ServerRequiresStartTlsRule(),
            new StartTlsUnavailableRule(),
            new TlsHandshakeFailedRule(),
            new NoEhloAfterStartTlsRule(),
            new BadCommandSequenceRule(),
            new CertificateValidationDisabledRule(),
            new HostnameVerificationOffRule(),
            new WeakTlsRule(),
            new PropertyTypoRule(),
            new AuthFailedRule(),
            new CleartextMessageRule(),
            new TimeoutsUnsetRule(),
            new SessionStuckRule(),
            new BasicAuthRetiringRule(clock),
            new CertificateExpiringRule(certExpiryDays, clock)));
    }

    public List<Finding> judge(SmtpSession session) {
        List<Finding> findings = new ArrayList<Finding>();
        for (Rule rule : rules) {
            findings.addAll(rule.judge(session));
        }
        return findings;
    }
}
