package dev.smtpwatch.testserver;

import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.GeneralSecurityException;
import java.security.KeyStore;
import java.security.PrivateKey;
import java.security.cert.Certificate;
import java.security.cert.CertificateFactory;
import java.security.cert.X509Certificate;
import java.util.Base64;
import java.util.EnumMap;
import java.util.HashMap;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import java.util.stream.Stream;
import javax.net.ssl.KeyManagerFactory;
import javax.net.ssl.SSLContext;
import javax.net.ssl.TrustManagerFactory;

/**
 * A throwaway PKI for TLS tests: one CA and five server certificates, each a different way for a client's
 * certificate check to pass or fail. Generated with the JDK's {@code keytool} into a directory and reused from there,
 * so a second JVM (or a real Postfix reading the PEM files) sees the same CA.
 *
 * <p>The five certificates share one RSA key pair, which keeps generation to six keytool runs (about 2 s); no test
 * needs distinct keys.
 *
 * <p>Files in the directory: {@code ca.p12}, {@code <cert>.p12} (key and chain), {@code <cert>-chain.pem},
 * {@code <cert>-key.pem}, {@code truststore.p12} (the CA only). All stores use the password {@code changeit}.
 */
public final class TestPki {

    /** The server certificates on offer. All but {@link #SELF_SIGNED} are signed by the CA. */
    public enum Cert {
        /** Valid for {@code DNS:localhost, IP:127.0.0.1}: the one a correct client accepts. */
        LOCALHOST("localhost", "CN=localhost", "dns:localhost,ip:127.0.0.1"),
        /** Valid, but for {@code DNS:wrong.example}: fails a hostname check. */
        WRONG_HOST("wrong-host", "CN=wrong.example", "dns:wrong.example"),
        /** For localhost, but its validity ended 30 days ago. */
        EXPIRED("expired", "CN=localhost", "dns:localhost,ip:127.0.0.1"),
        /** For localhost, signed by itself: not trusted by {@link #trustStore()}. */
        SELF_SIGNED("self-signed", "CN=localhost", "dns:localhost,ip:127.0.0.1"),
        /** For localhost, valid now, but it expires 5 days after the PKI was made. */
        EXPIRING("expiring", "CN=localhost", "dns:localhost,ip:127.0.0.1");

        final String fileName;
        final String subjectName;
        final String subjectAltName;

        Cert(String fileName, String subjectName, String subjectAltName) {
            this.fileName = fileName;
            this.subjectName = subjectName;
            this.subjectAltName = subjectAltName;
        }
    }

    private static final String PASSWORD = "changeit";
    private static final String TRUST_STORE = "truststore.p12";
    private static final String CA = "ca";
    private static final String VALIDITY_DAYS = "3650";
    /** keytool {@code -startdate} and {@code -validity} of {@link Cert#EXPIRED}: valid 60 to 30 days ago. */
    private static final String[] EXPIRED_VALIDITY = {"-startdate", "-60d", "-validity", "30"};
    /** keytool {@code -startdate} and {@code -validity} of {@link Cert#EXPIRING}: from 25 days ago to 5 days ahead. */
    private static final String[] EXPIRING_VALIDITY = {"-startdate", "-25d", "-validity", "30"};
    /** A PKI on disk whose expiring certificate has less than this left is made anew, so it says "5 days" again. */
    private static final long MIN_DAYS_LEFT_TO_REUSE = 4;
    private static final Map<Path, TestPki> CREATED = new HashMap<>();

    private final Path dir;
    private final Map<Cert, KeyStore.PrivateKeyEntry> entries;

    private TestPki(Path dir, Map<Cert, KeyStore.PrivateKeyEntry> entries) {
        this.dir = dir;
        this.entries = entries;
    }

    /**
     * The PKI in {@code dir}: the one this JVM already has for it, else the one a complete earlier run left there,
     * else a new one (about 2 s of keytool runs).
     */
    public static synchronized TestPki create(Path dir) throws IOException {
        Path key = dir.toAbsolutePath().normalize();
        TestPki pki = CREATED.get(key);
        if (pki == null) {
            try {
                // the trust store is written last, so its presence marks a complete PKI
                if (!Files.exists(key.resolve(TRUST_STORE)) || !reusable(key)) {
                    deleteFiles(key);
                    generate(key);
                }
                pki = load(key);
            } catch (GeneralSecurityException e) {
                throw new IOException("unusable test PKI in " + key, e);
            }
            CREATED.put(key, pki);
        }
        return pki;
    }

    /** PKCS12 trust store holding only the CA certificate; password {@link #trustStorePassword()}. */
    public Path trustStore() {
        return dir.resolve(TRUST_STORE);
    }

    public String trustStorePassword() {
        return PASSWORD;
    }

    /** The leaf certificate of {@code which}. */
    public X509Certificate certificate(Cert which) {
        return (X509Certificate) entries.get(which).getCertificate();
    }

    /** PEM file with the leaf certificate followed by the CA (just the leaf for {@link Cert#SELF_SIGNED}). */
    public Path certPem(Cert which) {
        return dir.resolve(which.fileName + "-chain.pem");
    }

    /** PEM file with the unencrypted PKCS#8 private key ({@code -----BEGIN PRIVATE KEY-----}). */
    public Path keyPem(Cert which) {
        return dir.resolve(which.fileName + "-key.pem");
    }

    /** A server-side context presenting {@code which} with its chain. */
    public SSLContext serverContext(Cert which) {
        try {
            KeyStore keyStore = emptyKeyStore();
            KeyStore.PrivateKeyEntry entry = entries.get(which);
            keyStore.setKeyEntry(which.fileName, entry.getPrivateKey(), PASSWORD.toCharArray(), entry.getCertificateChain());
            KeyManagerFactory keyManagers = KeyManagerFactory.getInstance(KeyManagerFactory.getDefaultAlgorithm());
            keyManagers.init(keyStore, PASSWORD.toCharArray());
            SSLContext context = SSLContext.getInstance("TLS");
            context.init(keyManagers.getKeyManagers(), null, null);
            return context;
        } catch (GeneralSecurityException | IOException e) {
            throw new IllegalStateException("cannot build a server TLS context for " + which, e);
        }
    }

    /** A client-side context trusting only the CA, as a client configured with {@link #trustStore()} would. */
    public SSLContext clientContext() {
        try {
            TrustManagerFactory trustManagers = TrustManagerFactory.getInstance(TrustManagerFactory.getDefaultAlgorithm());
            trustManagers.init(readKeyStore(trustStore()));
            SSLContext context = SSLContext.getInstance("TLS");
            context.init(null, trustManagers.getTrustManagers(), null);
            return context;
        } catch (GeneralSecurityException | IOException e) {
            throw new IllegalStateException("cannot build a client TLS context trusting " + trustStore(), e);
        }
    }

    private static void generate(Path dir) throws IOException, GeneralSecurityException {
        Files.createDirectories(dir);
        // All four certificates share one key pair: it halves the keytool runs, and no test needs distinct keys.
        // The self-signed certificate is the one genkeypair makes; the CA signs the others from one request.
        Cert keyHolder = Cert.SELF_SIGNED;
        String request = "server.csr";
        new Keytool(dir)
                .add(genKeyPair(CA, "CN=smtpwatch test CA", "-ext", "bc:c"))
                .add(genKeyPair(keyHolder.fileName, keyHolder.subjectName, "-ext", "SAN=" + keyHolder.subjectAltName))
                .run();
        new Keytool(dir)
                .add("-certreq", "-keystore", keyHolder.fileName + ".p12", "-storepass", PASSWORD,
                        "-alias", keyHolder.fileName, "-file", request)
                .run();
        Keytool signing = new Keytool(dir);
        for (Cert cert : signedByCa()) {
            String[] validity = cert == Cert.EXPIRED ? EXPIRED_VALIDITY
                    : cert == Cert.EXPIRING ? EXPIRING_VALIDITY : new String[] {"-validity", VALIDITY_DAYS};
            signing.add(concat(new String[] {"-gencert", "-keystore", CA + ".p12", "-storepass", PASSWORD,
                    "-alias", CA, "-infile", request, "-outfile", cert.fileName + ".crt", "-rfc",
                    "-dname", cert.subjectName, "-ext", "SAN=" + cert.subjectAltName}, validity));
        }
        signing.run();
        Files.delete(dir.resolve(request));

        KeyStore.PrivateKeyEntry selfSigned = entry(readKeyStore(dir.resolve(keyHolder.fileName + ".p12")), keyHolder.fileName);
        PrivateKey key = selfSigned.getPrivateKey();
        writePems(dir, keyHolder, key, selfSigned.getCertificateChain());
        X509Certificate ca = (X509Certificate) readKeyStore(dir.resolve(CA + ".p12")).getCertificate(CA);
        for (Cert cert : signedByCa()) {
            Path signed = dir.resolve(cert.fileName + ".crt");
            Certificate[] chain = {readCertificate(signed), ca};
            Files.delete(signed);
            KeyStore keyStore = emptyKeyStore();
            keyStore.setKeyEntry(cert.fileName, key, PASSWORD.toCharArray(), chain);
            writeKeyStore(keyStore, dir.resolve(cert.fileName + ".p12"));
            writePems(dir, cert, key, chain);
        }
        KeyStore trustStore = emptyKeyStore();
        trustStore.setCertificateEntry(CA, ca);
        writeKeyStore(trustStore, dir.resolve(TRUST_STORE));
    }

    private static Cert[] signedByCa() {
        return new Cert[] {Cert.LOCALHOST, Cert.WRONG_HOST, Cert.EXPIRED, Cert.EXPIRING};
    }

    /** Every certificate is there (an older layout lacks some) and the expiring one still has its days left. */
    private static boolean reusable(Path dir) throws IOException, GeneralSecurityException {
        for (Cert cert : Cert.values()) {
            if (!Files.exists(dir.resolve(cert.fileName + ".p12"))) {
                return false;
            }
        }
        X509Certificate expiring = (X509Certificate) readKeyStore(dir.resolve(Cert.EXPIRING.fileName + ".p12"))
                .getCertificate(Cert.EXPIRING.fileName);
        long left = expiring.getNotAfter().getTime() - System.currentTimeMillis();
        return left > TimeUnit.DAYS.toMillis(MIN_DAYS_LEFT_TO_REUSE);
    }

    private static void deleteFiles(Path dir) throws IOException {
        if (!Files.isDirectory(dir)) {
            return;
        }
        try (Stream<Path> files = Files.list(dir)) {
            for (Path file : (Iterable<Path>) files::iterator) {
                Files.deleteIfExists(file);
            }
        }
    }

    private static String[] genKeyPair(String name, String subjectName, String... extra) {
        return concat(new String[] {"-genkeypair", "-keystore", name + ".p12", "-storetype", "PKCS12",
                "-storepass", PASSWORD, "-keypass", PASSWORD, "-alias", name, "-keyalg", "RSA", "-keysize", "2048",
                "-dname", subjectName, "-validity", VALIDITY_DAYS}, extra);
    }

    private static String[] concat(String[] first, String[] second) {
        String[] all = new String[first.length + second.length];
        System.arraycopy(first, 0, all, 0, first.length);
        System.arraycopy(second, 0, all, first.length, second.length);
        return all;
    }

    private static TestPki load(Path dir) throws IOException, GeneralSecurityException {
        Map<Cert, KeyStore.PrivateKeyEntry> entries = new EnumMap<>(Cert.class);
        for (Cert cert : Cert.values()) {
            entries.put(cert, entry(readKeyStore(dir.resolve(cert.fileName + ".p12")), cert.fileName));
        }
        return new TestPki(dir, entries);
    }

    private static KeyStore.PrivateKeyEntry entry(KeyStore keyStore, String alias) throws GeneralSecurityException {
        return (KeyStore.PrivateKeyEntry) keyStore.getEntry(alias, new KeyStore.PasswordProtection(PASSWORD.toCharArray()));
    }

    private static KeyStore emptyKeyStore() throws GeneralSecurityException, IOException {
        KeyStore keyStore = KeyStore.getInstance("PKCS12");
        keyStore.load(null, null);
        return keyStore;
    }

    private static KeyStore readKeyStore(Path file) throws GeneralSecurityException, IOException {
        KeyStore keyStore = KeyStore.getInstance("PKCS12");
        try (InputStream in = Files.newInputStream(file)) {
            keyStore.load(in, PASSWORD.toCharArray());
        }
        return keyStore;
    }

    private static void writeKeyStore(KeyStore keyStore, Path file) throws GeneralSecurityException, IOException {
        try (OutputStream out = Files.newOutputStream(file)) {
            keyStore.store(out, PASSWORD.toCharArray());
        }
    }

    private static X509Certificate readCertificate(Path file) throws GeneralSecurityException, IOException {
        try (InputStream in = Files.newInputStream(file)) {
            return (X509Certificate) CertificateFactory.getInstance("X.509").generateCertificate(in);
        }
    }

    private static void writePems(Path dir, Cert cert, PrivateKey key, Certificate[] chain)
            throws GeneralSecurityException, IOException {
        StringBuilder chainPem = new StringBuilder();
        for (Certificate certificate : chain) {
            chainPem.append(pem("CERTIFICATE", certificate.getEncoded()));
        }
        Files.write(dir.resolve(cert.fileName + "-chain.pem"), chainPem.toString().getBytes(StandardCharsets.US_ASCII));
        // PrivateKey.getEncoded() of an RSA key is its PKCS#8 form, which is what "BEGIN PRIVATE KEY" holds
        Files.write(dir.resolve(cert.fileName + "-key.pem"), pem("PRIVATE KEY", key.getEncoded()).getBytes(StandardCharsets.US_ASCII));
    }

    private static String pem(String type, byte[] der) {
        String base64 = Base64.getMimeEncoder(64, new byte[] {'\n'}).encodeToString(der);
        return "-----BEGIN " + type + "-----\n" + base64 + "\n-----END " + type + "-----\n";
    }
}
