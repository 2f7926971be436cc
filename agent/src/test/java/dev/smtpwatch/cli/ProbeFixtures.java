package dev.smtpwatch.cli;

import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.security.cert.CertificateException;
import java.security.cert.CertificateFactory;
import java.security.cert.X509Certificate;
import java.util.Arrays;
import java.util.Date;

/** Probe results as {@link SmtpProbe} would leave them, and the test certificates under {@code /probe/}. */
final class ProbeFixtures {
    /** SAN DNS:mail.example.com, DNS:*.example.org, IP:192.0.2.1, IP:2001:db8::1; valid until 2126. */
    static final X509Certificate MAIL_EXAMPLE = certificate("mail-example.pem");
    /** No SAN; subject O=smtpwatch test, CN=legacy.example.net. */
    static final X509Certificate CN_ONLY = certificate("cn-only.pem");
    static final Date NOW = new Date();

    private ProbeFixtures() {
    }

    static X509Certificate certificate(String name) {
        try (InputStream in = ProbeFixtures.class.getResourceAsStream("/probe/" + name)) {
            return (X509Certificate) CertificateFactory.getInstance("X.509").generateCertificate(in);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        } catch (CertificateException e) {
            throw new IllegalStateException(e);
        }
    }

    static SmtpReply reply(int code, String... lines) {
        return new SmtpReply(code, Arrays.asList(lines));
    }

    /** mail.example.com:587: STARTTLS offered and done, TLS 1.3, trusted chain, AUTH after TLS only. */
    static ProbeResult cleanStartTls() {
        ProbeResult r = new ProbeResult("mail.example.com", 587, "mail.example.com", NOW);
        r.address = "192.0.2.1";
        r.clientProtocols = Arrays.asList("TLSv1.3", "TLSv1.2");
        r.mode = ProbeResult.Mode.STARTTLS;
        r.greeting = reply(220, "mail.example.com ESMTP");
        r.ehloBeforeTls = EhloCapabilities.of(reply(250, "mail.example.com", "PIPELINING", "STARTTLS"));
        r.startTlsReply = 220;
        established(r, "TLSv1.3", "TLS_AES_128_GCM_SHA256", MAIL_EXAMPLE);
        r.ehloAfterTls = EhloCapabilities.of(reply(250, "mail.example.com", "PIPELINING", "AUTH PLAIN LOGIN"));
        return r;
    }

    /** mail.example.com:465: implicit TLS, TLS 1.2, trusted chain, AUTH offered. */
    static ProbeResult cleanImplicit() {
        ProbeResult r = new ProbeResult("mail.example.com", 465, "mail.example.com", NOW);
        r.address = "192.0.2.1";
        r.clientProtocols = Arrays.asList("TLSv1.3", "TLSv1.2");
        r.mode = ProbeResult.Mode.IMPLICIT;
        established(r, "TLSv1.2", "TLS_ECDHE_RSA_WITH_AES_128_GCM_SHA256", MAIL_EXAMPLE);
        r.greeting = reply(220, "mail.example.com ESMTP");
        r.ehloAfterTls = EhloCapabilities.of(reply(250, "mail.example.com", "AUTH=LOGIN", "AUTH LOGIN PLAIN"));
        return r;
    }

    static void established(ProbeResult r, String protocol, String cipher, X509Certificate... chain) {
        r.tlsAttempted = true;
        r.tlsEstablished = true;
        r.tlsProtocol = protocol;
        r.tlsCipher = cipher;
        r.chain = chain;
    }
}
