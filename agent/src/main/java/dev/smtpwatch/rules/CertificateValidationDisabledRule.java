package dev.smtpwatch.rules;

import dev.smtpwatch.session.SmtpSession;
import java.util.Collections;
import java.util.List;
import java.util.Locale;

/**
 * {@code certificate-validation-disabled}: TLS was established without validating the server's certificate.
 *
 * <ul>
 *   <li>{@code ssl.trust=*}: the library's MailSSLSocketFactory trusts every certificate (Simple Java Mail sets this
 *       by default).</li>
 *   <li>{@code ssl.trust} listing the server's host: the library skips chain validation for the hosts listed, so
 *       any certificate presented for that name is accepted.</li>
 *   <li>a socket factory whose class name says it trusts everything (TrustAll, Insecure, Naive, Dummy, ...).</li>
 * </ul>
 * A configured {@code MailSSLSocketFactory} alone is not reported: it validates unless {@code setTrustAllHosts} or
 * {@code setTrustedHosts} was called on the instance, which the recorded config cannot tell (it is also the usual
 * way to configure client certificates).
 */
public final class CertificateValidationDisabledRule implements Rule {
    private static final String[] TRUST_ALL_NAMES = {
        "trustall", "trustingall", "trusteverything", "insecure", "naive", "dummy", "noverif", "novalidat",
        "permissive", "blindtrust", "acceptall"};

    @Override
    public List<Finding> judge(SmtpSession session) {
        if (!session.tlsEstablished()) {
            return Collections.emptyList();
        }
        String where = SessionFacts.where(session);
        String trustKey = Fixes.key(session, "ssl.trust");
        String trust = session.config().sslTrust();
        String cause;
        String fix;
        if (trust != null && "*".equals(trust.trim())) {
            cause = "because " + trustKey + "=* makes the library trust every certificate";
            fix = "remove " + trustKey;
        } else if (trust != null && lists(trust, session.serverAddress())) {
            cause = "because " + trustKey + " lists " + session.serverAddress()
                + ", which makes the library skip certificate validation for that host";
            fix = "remove " + trustKey;
        } else if (trustsAllByName(session.config().sslSocketFactoryClass())) {
            cause = "because the configured socket factory " + session.config().sslSocketFactoryClass()
                + " trusts every certificate";
            fix = "remove the custom " + Fixes.key(session, "ssl.socketFactory") + " (or .class)";
        } else {
            return Collections.emptyList();
        }
        return Collections.singletonList(new Finding("certificate-validation-disabled", Severity.HIGH,
            "TLS with " + where + " accepts any certificate " + cause,
            fix + " and let the JVM validate the certificate of " + where + ", adding its CA to a trust store"
                + " (-Djavax.net.ssl.trustStore=<path>) if it is private"));
    }

    private static boolean lists(String trust, String host) {
        for (String entry : trust.trim().split("\\s+")) {
            if (entry.equalsIgnoreCase(host)) {
                return true;
            }
        }
        return false;
    }

    static boolean trustsAllByName(String className) {
        if (className == null) {
            return false;
        }
        String simple = className.substring(className.lastIndexOf('.') + 1).toLowerCase(Locale.ROOT);
        for (String name : TRUST_ALL_NAMES) {
            if (simple.contains(name)) {
                return true;
            }
        }
        return false;
    }
}
