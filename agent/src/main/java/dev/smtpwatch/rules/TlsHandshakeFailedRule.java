package dev.smtpwatch.rules;

import dev.smtpwatch.session.MailLibrary;
import dev.smtpwatch.session.SmtpError;
import dev.smtpwatch.session.SmtpSession;
import dev.smtpwatch.session.TlsMode;
import java.util.Collections;
import java.util.List;

/**
 * {@code tls-handshake-failed}: a TLS handshake was started (implicit TLS, or STARTTLS answered 220) and no TLS
 * session came of it. The {@code detail} is read from the exception chain the library threw. An implicit-TLS
 * handshake answered in plaintext is {@code implicit-tls-on-starttls-port} instead, not both.
 */
public final class TlsHandshakeFailedRule implements Rule {
    /** The causes, in the order they are tested: the most specific evidence first. */
    enum Cause {
        EXPIRED_CERTIFICATE("expired-certificate", "the server's certificate has expired",
            "CertificateExpiredException", "validity check failed", "NotAfter"),
        HOSTNAME_MISMATCH("hostname-mismatch",
            "the server's certificate does not name the host the client connected to",
            "Can't verify identity of server", "No subject alternative", "No name matching"),
        UNTRUSTED_CERTIFICATE("untrusted-certificate", "the JVM does not trust the server's certificate chain",
            "CertPathBuilderException", "PKIX path building failed", "unable to find valid certification path",
            "CertPathValidatorException", "Server is not trusted"),
        PROTOCOL_VERSION("protocol-version", "client and server have no TLS protocol version in common",
            "No appropriate protocol", "protocol_version", "not accepted by client preferences",
            "Client requested protocol"),
        NO_SHARED_CIPHER("no-shared-cipher", "client and server have no cipher suite in common",
            "no cipher suites in common", "handshake_failure", "insufficient_security"),
        CONNECTION_RESET("connection-reset", "the server closed or reset the connection during the handshake",
            "Connection reset", "Remote host terminated the handshake", "Remote host closed connection",
            "peer shut down incorrectly", "Broken pipe"),
        OTHER("other", "of an error the handshake reported");

        final String detail;
        final String reason;
        private final String[] evidence;

        Cause(String detail, String reason, String... evidence) {
            this.detail = detail;
            this.reason = reason;
            this.evidence = evidence;
        }

        static Cause of(SmtpError error) {
            for (Cause cause : values()) {
                if (SessionFacts.mentionsAny(error, cause.evidence)) {
                    return cause;
                }
            }
            return OTHER;
        }
    }

    /** The {@code detail} this rule gives a handshake that failed with {@code error} (also used by {@code probe}). */
    public static String detail(SmtpError error) {
        return Cause.of(error).detail;
    }

    /** Why a handshake with this {@code detail} fails, in the rule's words ("the server's certificate has expired"). */
    public static String reason(String detail) {
        for (Cause cause : Cause.values()) {
            if (cause.detail.equals(detail)) {
                return cause.reason;
            }
        }
        return Cause.OTHER.reason;
    }

    @Override
    public List<Finding> judge(SmtpSession session) {
        SmtpError error = session.error();
        if (!SessionFacts.tlsAttempted(session) || session.tlsEstablished() || error == null
            || SessionFacts.connectFailed(error) || ImplicitTlsOnStartTlsPortRule.applies(session)) {
            return Collections.emptyList();
        }
        Cause cause = Cause.of(error);
        String where = SessionFacts.where(session);
        String handshake = session.tlsMode() == TlsMode.IMPLICIT ? "implicit-TLS" : "STARTTLS";
        return Collections.singletonList(new Finding("tls-handshake-failed", Severity.HIGH,
            "the " + handshake + " handshake with " + where + " failed because " + cause.reason
                + " (" + cause.detail + ")",
            fix(session, cause, where), cause.detail));
    }

    private static String fix(SmtpSession session, Cause cause, String where) {
        switch (cause) {
            case EXPIRED_CERTIFICATE:
                return "renew the certificate of the server at " + where;
            case HOSTNAME_MISMATCH:
                return hostnameFix(session, where);
            case UNTRUSTED_CERTIFICATE:
                return "import the CA certificate of " + where + " into a trust store and start the JVM with"
                    + " -Djavax.net.ssl.trustStore=<path> (never " + Fixes.key(session, "ssl.trust") + "=*)";
            case PROTOCOL_VERSION:
                return Fixes.set(session, Fixes.key(session, "ssl.protocols") + "=TLSv1.2 TLSv1.3")
                    + " and make sure the server at " + where + " supports TLS 1.2 or later";
            case NO_SHARED_CIPHER:
                return Fixes.set(session, Fixes.key(session, "ssl.ciphersuites") + "=<suites the server offers>")
                    + " (such as TLS_ECDHE_RSA_WITH_AES_128_GCM_SHA256), or enable modern suites on " + where;
            case CONNECTION_RESET:
                return "check that " + where + " expects the TLS mode configured (465: "
                    + Fixes.key(session, "ssl.enable") + "=true; 25/587: " + Fixes.key(session, "starttls.enable")
                    + "=true) and that no firewall or TLS proxy cuts the connection";
            default:
                return "rerun with -Djavax.net.debug=ssl:handshake to see why the handshake with " + where
                    + " failed";
        }
    }

    private static String hostnameFix(SmtpSession session, String where) {
        String host = session.serverAddress();
        boolean ipLiteral = host != null && host.matches("[0-9.]+|.*:.*");
        if (ipLiteral && !MailLibrary.ANGUS.equals(session.library().name())) {
            return "connect by a DNS name the certificate lists instead of the IP address (com.sun.mail checks DNS"
                + " names only), or upgrade to Angus Mail 2";
        }
        return "connect by a host name the server's certificate lists, or have the certificate of " + where
            + " include " + host;
    }
}
