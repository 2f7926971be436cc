package dev.smtpwatch.cli;

import dev.smtpwatch.rules.TlsHandshakeFailedRule;
import dev.smtpwatch.session.SmtpError;
import java.security.cert.CertificateException;
import java.security.cert.X509Certificate;
import java.util.Collections;
import java.util.Date;
import java.util.List;

/**
 * What {@code probe} saw of one endpoint: filled in by {@link SmtpProbe} step by step (a field left null means the
 * conversation never got there), judged by {@link ProbeFindings}, turned into settings by {@link ProbeSettings}.
 */
final class ProbeResult {
    /** How the endpoint speaks TLS, with the report's {@code tls.mode} words. */
    enum Mode {
        /** TLS from the first byte (port 465 style). */
        IMPLICIT("implicit"),
        /** A plaintext greeting, then STARTTLS offered. */
        STARTTLS("starttls"),
        /** A plaintext greeting and no STARTTLS (or one the server refused). */
        NONE("none"),
        /** The server stopped answering before it showed how it speaks TLS (no greeting, no handshake, no EHLO). */
        UNKNOWN("unknown");

        final String id;

        Mode(String id) {
            this.id = id;
        }
    }

    /** {@link #startTlsReply} when the server gave no reply to STARTTLS. */
    static final int NO_REPLY = -1;

    final String host;
    int port;
    /** The name sent as SNI and checked against the certificate: {@code --name}, else the host. */
    String serverName;
    Date probedAt;

    /** The address connected to. */
    String address;
    /** The TLS protocols this JVM offers as a client, as its settings and {@code jdk.tls.*} properties leave them. */
    List<String> clientProtocols = Collections.emptyList();
    Mode mode = Mode.UNKNOWN;
    SmtpReply greeting;
    EhloCapabilities ehloBeforeTls;
    EhloCapabilities ehloAfterTls;
    /** The reply code to STARTTLS; null when none was sent. */
    Integer startTlsReply;
    /** A handshake was started (implicit, or after STARTTLS 220). */
    boolean tlsAttempted;
    boolean tlsEstablished;
    String tlsProtocol;
    String tlsCipher;
    /** Why the handshake failed; null when it did not. */
    Exception tlsFailure;
    /** The server's chain, leaf first, whether this JVM trusts it or not; null when the handshake never got it. */
    X509Certificate[] chain;
    /** The JVM's trust manager's refusal of {@link #chain}; null when it accepted it. */
    CertificateException trustRefusal;
    /**
     * What the server failed to answer within the timeout, as a clause after its name ("gave no reply to EHLO within
     * 10 s", "completed the TLS handshake but sent no greeting within 10 s"); null when it answered everything.
     */
    String stuckAt;

    ProbeResult(String host, int port, String serverName, Date probedAt) {
        this.host = host;
        this.port = port;
        this.serverName = serverName;
        this.probedAt = probedAt;
    }

    /** {@code host:port}, with an IPv6 address in brackets. */
    String where() {
        return (host.indexOf(':') >= 0 ? "[" + host + "]" : host) + ":" + port;
    }

    boolean startTlsOffered() {
        return ehloBeforeTls != null && ehloBeforeTls.offers("STARTTLS");
    }

    /** AUTH mechanisms offered before TLS; empty when none (or no plaintext EHLO happened). */
    List<String> authBeforeTls() {
        return ehloBeforeTls == null ? Collections.<String>emptyList() : ehloBeforeTls.authMechanisms();
    }

    /** AUTH mechanisms offered over TLS; empty when none (or no EHLO over TLS happened). */
    List<String> authAfterTls() {
        return ehloAfterTls == null ? Collections.<String>emptyList() : ehloAfterTls.authMechanisms();
    }

    ServerIdentity.Match identity() {
        return chain == null || chain.length == 0 ? ServerIdentity.Match.NONE
            : ServerIdentity.match(serverName, chain[0]);
    }

    /**
     * Why an app on this JVM, with the identity check on, would fail the handshake: a {@code tls-handshake-failed}
     * detail ({@code protocol-version}, {@code expired-certificate}, {@code untrusted-certificate},
     * {@code hostname-mismatch}, ...), in the order the JDK checks them; null when it would succeed or TLS was never
     * tried.
     */
    String tlsProblem() {
        if (tlsFailure != null) {
            return TlsHandshakeFailedRule.detail(SmtpError.of(tlsFailure));
        }
        if (chain == null) {
            return null;
        }
        if (trustRefusal != null) {
            return expiredCertificate() != null ? "expired-certificate" : "untrusted-certificate";
        }
        return identity() == ServerIdentity.Match.NONE ? "hostname-mismatch" : null;
    }

    /** The first certificate of the chain past its end date, or null. */
    X509Certificate expiredCertificate() {
        for (X509Certificate certificate : chain) {
            if (certificate.getNotAfter().before(probedAt)) {
                return certificate;
            }
        }
        return null;
    }

    /** Whole days from the probe to the certificate's end, negative once expired. */
    long daysLeft(X509Certificate certificate) {
        long millis = certificate.getNotAfter().getTime() - probedAt.getTime();
        return Math.floorDiv(millis, 24L * 60 * 60 * 1000);
    }
}
