package dev.smtpwatch.testserver;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertSame;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.smtpwatch.testserver.TestPki.Cert;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.security.KeyFactory;
import java.security.KeyStore;
import java.security.cert.Certificate;
import java.security.cert.CertificateException;
import java.security.cert.CertificateExpiredException;
import java.security.cert.CertificateFactory;
import java.security.cert.X509Certificate;
import java.security.interfaces.RSAPrivateCrtKey;
import java.security.interfaces.RSAPublicKey;
import java.security.spec.PKCS8EncodedKeySpec;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Base64;
import java.util.Collection;
import java.util.Date;
import java.util.List;
import javax.net.ssl.TrustManagerFactory;
import javax.net.ssl.X509TrustManager;
import org.junit.jupiter.api.Test;

class TestPkiTest {
    private final TestPki pki = SharedPki.get();

    @Test
    void localhostCertificateNamesLocalhostAndLoopbackAndIsTrusted() throws Exception {
        X509Certificate localhost = pki.certificate(Cert.LOCALHOST);
        assertEquals(Arrays.asList(Arrays.asList(2, "localhost"), Arrays.asList(7, "127.0.0.1")),
                new ArrayList<>(localhost.getSubjectAlternativeNames()));
        localhost.checkValidity();
        trustManager().checkServerTrusted(chain(Cert.LOCALHOST), "RSA");
    }

    @Test
    void expiredCertificateIsRejectedForItsExpiryAlone() throws Exception {
        X509Certificate expired = pki.certificate(Cert.EXPIRED);
        assertThrows(CertificateExpiredException.class, expired::checkValidity);
        assertTrue(expired.getNotAfter().before(new Date()));
        CertificateException rejected = assertThrows(CertificateException.class,
                () -> trustManager().checkServerTrusted(chain(Cert.EXPIRED), "RSA"));
        Throwable cause = rejected;
        while (cause != null && !(cause instanceof CertificateExpiredException)) {
            cause = cause.getCause();
        }
        assertTrue(cause != null, rejected::toString);
    }

    @Test
    void expiringCertificateIsTrustedButExpiresInAboutFiveDays() throws Exception {
        X509Certificate expiring = pki.certificate(Cert.EXPIRING);
        expiring.checkValidity();
        trustManager().checkServerTrusted(chain(Cert.EXPIRING), "RSA");
        long daysLeft = (expiring.getNotAfter().getTime() - System.currentTimeMillis()) / 86_400_000L;
        assertTrue(daysLeft >= 4 && daysLeft <= 5, () -> "days left: " + daysLeft);
    }

    @Test
    void wrongHostCertificateNamesOnlyWrongExample() throws Exception {
        X509Certificate wrongHost = pki.certificate(Cert.WRONG_HOST);
        assertEquals(Arrays.asList(Arrays.asList(2, "wrong.example")),
                new ArrayList<>(wrongHost.getSubjectAlternativeNames()));
        trustManager().checkServerTrusted(chain(Cert.WRONG_HOST), "RSA");
    }

    @Test
    void selfSignedCertificateIsNotTrustedByTheTrustStore() throws Exception {
        X509Certificate selfSigned = pki.certificate(Cert.SELF_SIGNED);
        assertEquals(selfSigned.getSubjectX500Principal(), selfSigned.getIssuerX500Principal());
        assertThrows(CertificateException.class,
                () -> trustManager().checkServerTrusted(chain(Cert.SELF_SIGNED), "RSA"));
    }

    @Test
    void pemFilesHoldTheChainAndTheMatchingPkcs8Key() throws Exception {
        List<X509Certificate> chain = readPemChain(Cert.LOCALHOST);
        assertEquals(2, chain.size());
        assertEquals(pki.certificate(Cert.LOCALHOST), chain.get(0));
        chain.get(0).verify(chain.get(1).getPublicKey());
        assertEquals(1, readPemChain(Cert.SELF_SIGNED).size());

        String keyPem = new String(Files.readAllBytes(pki.keyPem(Cert.LOCALHOST)), StandardCharsets.US_ASCII);
        assertTrue(keyPem.startsWith("-----BEGIN PRIVATE KEY-----\n"), keyPem);
        String base64 = keyPem.replace("-----BEGIN PRIVATE KEY-----", "").replace("-----END PRIVATE KEY-----", "");
        RSAPrivateCrtKey key = (RSAPrivateCrtKey) KeyFactory.getInstance("RSA")
                .generatePrivate(new PKCS8EncodedKeySpec(Base64.getMimeDecoder().decode(base64)));
        assertEquals(((RSAPublicKey) chain.get(0).getPublicKey()).getModulus(), key.getModulus());
    }

    @Test
    void sameDirectoryGivesTheSamePki() throws Exception {
        assertSame(pki, TestPki.create(SharedPki.DIR));
    }

    private X509TrustManager trustManager() throws Exception {
        KeyStore trustStore = KeyStore.getInstance("PKCS12");
        try (InputStream in = Files.newInputStream(pki.trustStore())) {
            trustStore.load(in, pki.trustStorePassword().toCharArray());
        }
        assertEquals(1, trustStore.size());
        TrustManagerFactory factory = TrustManagerFactory.getInstance(TrustManagerFactory.getDefaultAlgorithm());
        factory.init(trustStore);
        return (X509TrustManager) factory.getTrustManagers()[0];
    }

    private X509Certificate[] chain(Cert which) throws Exception {
        return readPemChain(which).toArray(new X509Certificate[0]);
    }

    private List<X509Certificate> readPemChain(Cert which) throws Exception {
        List<X509Certificate> chain = new ArrayList<>();
        try (InputStream in = Files.newInputStream(pki.certPem(which))) {
            Collection<? extends Certificate> certificates =
                    CertificateFactory.getInstance("X.509").generateCertificates(in);
            for (Certificate certificate : certificates) {
                chain.add((X509Certificate) certificate);
            }
        }
        return chain;
    }
}
