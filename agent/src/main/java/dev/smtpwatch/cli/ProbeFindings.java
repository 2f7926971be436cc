package dev.smtpwatch.cli;

import dev.smtpwatch.rules.Finding;
import dev.smtpwatch.rules.Severity;
import dev.smtpwatch.rules.TlsHandshakeFailedRule;
import dev.smtpwatch.rules.WeakTlsRule;
import java.security.cert.X509Certificate;
import java.text.SimpleDateFormat;
import java.util.ArrayList;
import java.util.Collections;
import java.util.Comparator;
import java.util.Date;
import java.util.List;
import java.util.Locale;
import java.util.TimeZone;

/**
 * Judges what {@code probe} saw, in the catalogue's words where one applies ({@code starttls-unavailable},
 * {@code tls-handshake-failed} with its detail, {@code weak-tls}, {@code certificate-expiring},
 * {@code session-stuck}) and with ids of the probe's own for what only the server side shows
 * ({@code auth-offered-before-tls}, {@code unexpected-tls-mode}); docs/probe.md lists them all. The catalogue's
 * rules judge a client's session, so they cannot run here: there is no client configuration to blame.
 */
final class ProbeFindings {
    /** SPEC's default {@code cert.expiry.days}. */
    static final int EXPIRY_DAYS = 21;
    /** Within this many days {@code certificate-expiring} is high. */
    static final int EXPIRY_DAYS_HIGH = 7;

    private ProbeFindings() {
    }

    /** The findings, most severe first. */
    static List<Finding> judge(ProbeResult r) {
        List<Finding> findings = new ArrayList<Finding>();
        String where = r.where();
        if (r.stuckAt != null) {
            findings.add(new Finding("session-stuck", Severity.HIGH, where + " " + r.stuckAt, "check the server at " + where + " (hung, overloaded, or behind a firewall that passes"
                + " the connection and drops the rest), and set " + timeouts(r)
                + " so that the app does not wait forever"));
        }
        startTls(r, findings);
        authBeforeTls(r, findings);
        tlsProblem(r, findings);
        weakTls(r, findings);
        certificateExpiring(r, findings);
        unexpectedTlsMode(r, findings);
        Collections.sort(findings, new Comparator<Finding>() {
            @Override
            public int compare(Finding a, Finding b) {
                return b.severity().compareTo(a.severity());
            }
        });
        return findings;
    }

    /** Exit 1 when anything above info was found. */
    static boolean problemsFound(List<Finding> findings) {
        for (Finding finding : findings) {
            if (finding.severity().compareTo(Severity.INFO) > 0) {
                return true;
            }
        }
        return false;
    }

    private static void startTls(ProbeResult r, List<Finding> findings) {
        String where = r.where();
        String implicit = ", or offer implicit TLS on port " + SmtpProbe.IMPLICIT_TLS_PORT;
        // no reply at all is session-stuck's
        if (r.startTlsReply != null && r.startTlsReply != 220 && r.startTlsReply != ProbeResult.NO_REPLY) {
            String hint = r.startTlsReply == 454 ? " (454 usually means it cannot load its certificate or key)" : "";
            findings.add(new Finding("starttls-unavailable", Severity.HIGH,
                where + " offers STARTTLS but answered it with " + r.startTlsReply + " instead of 220, so no TLS"
                    + " session can start",
                "fix TLS on the server at " + where + hint + implicit));
        } else if (r.mode == ProbeResult.Mode.NONE) {
            findings.add(new Finding("starttls-unavailable", Severity.HIGH,
                where + " does not offer STARTTLS (nor TLS from the first byte): mail and credentials sent to it"
                    + " travel in plaintext",
                "enable STARTTLS on the server at " + where + " (Postfix: smtpd_tls_security_level=may or encrypt,"
                    + " with smtpd_tls_cert_file and smtpd_tls_key_file)" + implicit));
        }
    }

    private static void authBeforeTls(ProbeResult r, List<Finding> findings) {
        List<String> mechanisms = r.authBeforeTls();
        if (mechanisms.isEmpty()) {
            return;
        }
        findings.add(new Finding("auth-offered-before-tls", Severity.MEDIUM,
            r.where() + " offers AUTH " + String.join(" ", mechanisms) + " before TLS: a client that does not insist on"
                + " STARTTLS logs in there with its password in plaintext",
            "in the app set mail.smtp.starttls.enable=true and mail.smtp.starttls.required=true; on the server offer"
                + " AUTH only over TLS (Postfix: smtpd_tls_auth_only=yes)"));
    }

    private static void tlsProblem(ProbeResult r, List<Finding> findings) {
        String detail = r.tlsProblem();
        if (detail == null) {
            return;
        }
        String where = r.where();
        String handshake = r.mode == ProbeResult.Mode.IMPLICIT ? "implicit-TLS" : "STARTTLS";
        String identityCheck = "hostname-mismatch".equals(detail)
            ? " with the identity check on (" + ProbeSettings.prefix(r) + "ssl.checkserveridentity=true, Angus Mail 2's"
                + " default)" : "";
        findings.add(new Finding("tls-handshake-failed", Severity.HIGH,
            "the " + handshake + " handshake with " + where + " fails on this JVM" + identityCheck + " because "
                + TlsHandshakeFailedRule.reason(detail) + " (" + detail + ")",
            handshakeFix(r, detail), detail));
    }

    private static String handshakeFix(ProbeResult r, String detail) {
        String where = r.where();
        switch (detail) {
            case "expired-certificate":
                X509Certificate expired = r.expiredCertificate();
                return "renew the certificate of the server at " + where + " (" + subject(expired) + " expired on "
                    + day(expired.getNotAfter()) + ")";
            case "untrusted-certificate":
                X509Certificate top = r.chain[r.chain.length - 1];
                // the top of the chain is the root itself or a certificate the root signed: its issuer is the CA
                return "import the CA certificate " + issuer(top) + " into a trust store and start the JVM with"
                    + " -Djavax.net.ssl.trustStore=<path> (never " + ProbeSettings.prefix(r) + "ssl.trust=*)";
            case "hostname-mismatch":
                return "connect by a name the certificate lists (" + String.join(", ", ServerIdentity.names(r.chain[0]))
                    + "), or have the certificate of " + where + " include " + r.serverName;
            case "protocol-version":
                return "enable TLS 1.2 or later on the server at " + where + "; this JVM offers "
                    + String.join(" ", r.clientProtocols);
            case "no-shared-cipher":
                return "enable modern cipher suites (ECDHE with AES-GCM) on the server at " + where;
            case "connection-reset":
                return "check that " + where + " speaks the TLS mode tried here and that no firewall or TLS proxy"
                    + " cuts the connection";
            default:
                return "rerun with -Djavax.net.debug=ssl:handshake to see why the handshake with " + where
                    + " failed";
        }
    }

    private static void weakTls(ProbeResult r, List<Finding> findings) {
        if (!r.tlsEstablished) {
            return;
        }
        boolean weakProtocol = WeakTlsRule.weakProtocol(r.tlsProtocol);
        boolean weakCipher = WeakTlsRule.weakSuite(r.tlsCipher);
        if (!weakProtocol && !weakCipher) {
            return;
        }
        String what = weakProtocol && weakCipher ? "a protocol below TLS 1.2 and a weak cipher suite"
            : weakProtocol ? "a protocol below TLS 1.2" : "a weak cipher suite";
        findings.add(new Finding("weak-tls", Severity.MEDIUM,
            "TLS with " + r.where() + " negotiated " + r.tlsProtocol + " with " + r.tlsCipher + ", " + what,
            "enable TLS 1.2 or later with AEAD suites on the server at " + r.where()
                + " (this JVM accepted the weak one only because its jdk.tls.disabledAlgorithms allow it)"));
    }

    private static void certificateExpiring(ProbeResult r, List<Finding> findings) {
        if (r.chain == null) {
            return;
        }
        X509Certificate soonest = null;
        for (X509Certificate certificate : r.chain) {
            long days = r.daysLeft(certificate);
            boolean expiring = days >= 0 && days <= EXPIRY_DAYS;
            if (expiring && (soonest == null || certificate.getNotAfter().before(soonest.getNotAfter()))) {
                soonest = certificate;
            }
        }
        if (soonest == null) {
            return;
        }
        long days = r.daysLeft(soonest);
        findings.add(new Finding("certificate-expiring", days <= EXPIRY_DAYS_HIGH ? Severity.HIGH : Severity.MEDIUM,
            "the certificate " + subject(soonest) + " (issuer " + issuer(soonest) + ") of " + r.where()
                + " expires on " + day(soonest.getNotAfter()) + ", in " + days + (days == 1 ? " day" : " days"),
            "renew the certificate of the server at " + r.where() + " before " + day(soonest.getNotAfter())));
    }

    private static void unexpectedTlsMode(ProbeResult r, List<Finding> findings) {
        boolean plaintextMode = r.mode == ProbeResult.Mode.STARTTLS || r.mode == ProbeResult.Mode.NONE;
        if (r.port == SmtpProbe.IMPLICIT_TLS_PORT && plaintextMode) {
            findings.add(new Finding("unexpected-tls-mode", Severity.INFO,
                r.where() + " answers in plaintext although port " + r.port + " is the implicit-TLS port"
                    + " (RFC 8314): an app set up for implicit TLS there (mail.smtp.ssl.enable=true or protocol"
                    + " smtps) fails the handshake",
                "use the settings below, which match what the server speaks"));
        } else if (r.mode == ProbeResult.Mode.IMPLICIT && (r.port == 25 || r.port == 587 || r.port == 2525)) {
            findings.add(new Finding("unexpected-tls-mode", Severity.INFO,
                r.where() + " wants TLS from the first byte although port " + r.port + " is a STARTTLS port: an"
                    + " app set up for STARTTLS there waits for a greeting that never comes",
                "use the settings below, which match what the server speaks"));
        }
    }

    private static String timeouts(ProbeResult r) {
        String prefix = ProbeSettings.prefix(r);
        return prefix + "connectiontimeout, " + prefix + "timeout and " + prefix + "writetimeout";
    }

    static String subject(X509Certificate certificate) {
        return certificate.getSubjectX500Principal().getName();
    }

    static String issuer(X509Certificate certificate) {
        return certificate.getIssuerX500Principal().getName();
    }

    /** A UTC calendar day, {@code 2027-03-01}. */
    static String day(Date date) {
        SimpleDateFormat format = new SimpleDateFormat("yyyy-MM-dd", Locale.ROOT);
        format.setTimeZone(TimeZone.getTimeZone("UTC"));
        return format.format(date);
    }
}
