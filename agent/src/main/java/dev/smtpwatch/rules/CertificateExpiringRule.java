package dev.smtpwatch.rules;

import dev.smtpwatch.session.ServerCertificate;
import dev.smtpwatch.session.SmtpSession;
import java.text.SimpleDateFormat;
import java.time.Clock;
import java.util.Collections;
import java.util.Date;
import java.util.List;
import java.util.Locale;
import java.util.TimeZone;
import java.util.concurrent.TimeUnit;

/**
 * {@code certificate-expiring}: a certificate the server presented (its own or an intermediate CA's) expires within
 * {@code cert.expiry.days}; high within {@value #URGENT_DAYS} days. Judged from the chain of the live TLS session,
 * so it names what this JVM was actually shown, also behind a load balancer that serves several certificates.
 */
public final class CertificateExpiringRule implements Rule {
    static final int URGENT_DAYS = 7;
    private static final long DAY_MILLIS = TimeUnit.DAYS.toMillis(1);

    private final int expiryDays;
    private final Clock clock;

    /** @param expiryDays {@code cert.expiry.days}; @param clock "now" (tests fix it) */
    public CertificateExpiringRule(int expiryDays, Clock clock) {
        this.expiryDays = expiryDays;
        this.clock = clock;
    }

    @Override
    public List<Finding> judge(SmtpSession session) {
        ServerCertificate soonest = null;
        for (ServerCertificate c : session.serverCertificates()) {
            if (soonest == null || c.notAfterMillis() < soonest.notAfterMillis()) {
                soonest = c;
            }
        }
        long now = clock.millis();
        if (soonest == null || soonest.notAfterMillis() - now >= expiryDays * DAY_MILLIS) {
            return Collections.emptyList();
        }
        long left = soonest.notAfterMillis() - now;
        String where = SessionFacts.where(session);
        String which = soonest.leaf() ? "the certificate of " + where
            : "the intermediate CA certificate in the chain of " + where;
        String when = left < 0 ? "expired on " + date(soonest.notAfterMillis()) + " (" + days(-left) + " ago)"
            : "expires on " + date(soonest.notAfterMillis()) + " (in " + days(left) + ")";
        return Collections.singletonList(new Finding("certificate-expiring",
            left < URGENT_DAYS * DAY_MILLIS ? Severity.HIGH : Severity.MEDIUM,
            which + " (" + soonest.subject() + ", issued by " + soonest.issuer() + ") " + when,
            "have the operator of " + where + " renew " + (soonest.leaf() ? "its certificate" : "the chain it serves")
                + " before " + date(soonest.notAfterMillis()) + "; the TLS handshake fails once it has expired"));
    }

    /** Rounded to the nearest day: a certificate made to last 5 days is "in 5 days" a minute later too. */
    private static String days(long millis) {
        long days = Math.round((double) millis / DAY_MILLIS);
        if (days == 0) {
            long hours = Math.max(1, millis / TimeUnit.HOURS.toMillis(1));
            return hours + (hours == 1 ? " hour" : " hours");
        }
        return days + (days == 1 ? " day" : " days");
    }

    private static String date(long epochMillis) {
        SimpleDateFormat format = new SimpleDateFormat("yyyy-MM-dd HH:mm 'UTC'", Locale.ROOT);
        format.setTimeZone(TimeZone.getTimeZone("UTC"));
        return format.format(new Date(epochMillis));
    }
}
