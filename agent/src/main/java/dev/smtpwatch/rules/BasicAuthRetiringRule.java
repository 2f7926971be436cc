package dev.smtpwatch.rules;

import dev.smtpwatch.session.SmtpCommand;
import dev.smtpwatch.session.SmtpSession;
import java.time.Clock;
import java.util.Collections;
import java.util.List;
import java.util.Locale;

/**
 * {@code basic-auth-retiring}: a password mechanism (PLAIN, LOGIN) against a provider that is retiring password
 * SMTP AUTH, recognised by the host name the app connects to (any port). Medium while the provider's date is
 * ahead, high once it has passed: from then on the login fails, or may fail at any time.
 */
public final class BasicAuthRetiringRule implements Rule {
    /** A provider's SMTP hosts and what it announced. */
    enum Provider {
        MICROSOFT("Microsoft 365 / Exchange Online",
            "Microsoft turns SMTP AUTH with passwords off by default for existing tenants at the end of December 2026"
                + " and removes it in the second half of 2027",
            // 1 January 2027, 00:00 UTC: the end of December 2026 has passed
            1798761600000L,
            new String[] {"smtp.office365.com"}, new String[] {".outlook.com"}),
        GOOGLE("Google",
            "Google Workspace ended SMTP AUTH with passwords on 1 May 2025",
            // 1 May 2025, 00:00 UTC
            1746057600000L,
            new String[] {"smtp.gmail.com", "smtp-relay.gmail.com", "smtp.googlemail.com"}, new String[0]);

        final String name;
        final String announcement;
        final long cutoffEpochMillis;
        private final String[] hosts;
        private final String[] domainSuffixes;

        Provider(String name, String announcement, long cutoffEpochMillis, String[] hosts, String[] domainSuffixes) {
            this.name = name;
            this.announcement = announcement;
            this.cutoffEpochMillis = cutoffEpochMillis;
            this.hosts = hosts;
            this.domainSuffixes = domainSuffixes;
        }

        static Provider of(String host) {
            if (host == null) {
                return null;
            }
            String h = host.toLowerCase(Locale.ROOT);
            if (h.endsWith(".")) {
                h = h.substring(0, h.length() - 1);
            }
            for (Provider p : values()) {
                for (String exact : p.hosts) {
                    if (h.equals(exact)) {
                        return p;
                    }
                }
                for (String suffix : p.domainSuffixes) {
                    if (h.endsWith(suffix)) {
                        return p;
                    }
                }
            }
            return null;
        }
    }

    private final Clock clock;

    /** @param clock "now", which decides whether the provider's date has passed (tests fix it) */
    public BasicAuthRetiringRule(Clock clock) {
        this.clock = clock;
    }

    @Override
    public List<Finding> judge(SmtpSession session) {
        SmtpCommand auth = session.auth();
        if (auth == null || !("PLAIN".equals(auth.arg()) || "LOGIN".equals(auth.arg()))) {
            return Collections.emptyList();
        }
        Provider provider = Provider.of(session.serverAddress());
        if (provider == null) {
            return Collections.emptyList();
        }
        boolean passed = clock.millis() >= provider.cutoffEpochMillis;
        return Collections.singletonList(new Finding("basic-auth-retiring", passed ? Severity.HIGH : Severity.MEDIUM,
            "the app logs in to " + SessionFacts.where(session) + " (" + provider.name + ") with a password ("
                + SessionFacts.auth(auth) + "), and " + provider.announcement
                + (passed ? ", a date that has passed" : ""),
            "use OAuth2: " + Fixes.set(session, Fixes.key(session, "auth.mechanisms") + "=XOAUTH2")
                + " and pass an access token from the provider as the password"));
    }
}
