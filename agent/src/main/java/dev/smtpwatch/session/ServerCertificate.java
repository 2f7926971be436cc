package dev.smtpwatch.session;

import java.security.cert.Certificate;
import java.security.cert.X509Certificate;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import javax.net.ssl.SSLPeerUnverifiedException;
import javax.net.ssl.SSLSession;
import javax.security.auth.x500.X500Principal;

/** What is kept of one certificate the server presented: names and expiry, never the key or the encoding. */
public final class ServerCertificate {
    private final String subject;
    private final String issuer;
    private final long notAfterMillis;
    private final boolean leaf;

    public ServerCertificate(String subject, String issuer, long notAfterMillis, boolean leaf) {
        this.subject = subject;
        this.issuer = issuer;
        this.notAfterMillis = notAfterMillis;
        this.leaf = leaf;
    }

    /**
     * The server's chain as the live TLS session has it, leaf first. A self-signed certificate behind the leaf is
     * a root the server sent along: the client validates against its own copy, so its expiry is left out.
     */
    static List<ServerCertificate> chainOf(SSLSession tls) {
        Certificate[] chain;
        try {
            chain = tls.getPeerCertificates();
        } catch (SSLPeerUnverifiedException anonymous) {
            return Collections.emptyList();
        } catch (RuntimeException unusable) {
            // a provider's session that cannot say: the TLS facts of the session still count
            return Collections.emptyList();
        }
        List<ServerCertificate> kept = new ArrayList<ServerCertificate>(chain.length);
        for (int i = 0; i < chain.length; i++) {
            if (!(chain[i] instanceof X509Certificate)) {
                continue;
            }
            X509Certificate x509 = (X509Certificate) chain[i];
            String subject = x509.getSubjectX500Principal().getName(X500Principal.RFC2253);
            String issuer = x509.getIssuerX500Principal().getName(X500Principal.RFC2253);
            if (i > 0 && subject.equals(issuer)) {
                continue;
            }
            kept.add(new ServerCertificate(subject, issuer, x509.getNotAfter().getTime(), i == 0));
        }
        return kept;
    }

    /** Distinguished name, RFC 2253 form ({@code CN=smtp.example.com,O=Example}). */
    public String subject() {
        return subject;
    }

    public String issuer() {
        return issuer;
    }

    public long notAfterMillis() {
        return notAfterMillis;
    }

    /** The server's own certificate, as opposed to an intermediate CA's. */
    public boolean leaf() {
        return leaf;
    }
}
