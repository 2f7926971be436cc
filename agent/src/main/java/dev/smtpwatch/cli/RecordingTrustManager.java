package dev.smtpwatch.cli;

import java.net.Socket;
import java.security.GeneralSecurityException;
import java.security.KeyStore;
import java.security.cert.CertificateException;
import java.security.cert.X509Certificate;
import javax.net.ssl.SSLEngine;
import javax.net.ssl.TrustManager;
import javax.net.ssl.TrustManagerFactory;
import javax.net.ssl.X509ExtendedTrustManager;

/**
 * Lets {@code probe} see the server's chain even when this JVM would refuse it: records the chain, asks the JVM's
 * default trust manager (its trust store, {@code -Djavax.net.ssl.trustStore}, its algorithm constraints) and records
 * that verdict instead of failing the handshake. The probe only ever sends EHLO and QUIT over such a connection.
 *
 * <p>An {@link X509ExtendedTrustManager}, so that the JDK does not wrap it in checks of its own; the identity check
 * is left to {@link ServerIdentity} (no endpoint identification algorithm is set on the socket).
 */
final class RecordingTrustManager extends X509ExtendedTrustManager {
    private final X509ExtendedTrustManager jvmDefault;
    private volatile X509Certificate[] chain;
    private volatile CertificateException refusal;

    private RecordingTrustManager(X509ExtendedTrustManager jvmDefault) {
        this.jvmDefault = jvmDefault;
    }

    /** Wraps the trust manager the JVM's default {@code TrustManagerFactory} builds from its default trust store. */
    static RecordingTrustManager ofJvmDefault() throws GeneralSecurityException {
        TrustManagerFactory factory = TrustManagerFactory.getInstance(TrustManagerFactory.getDefaultAlgorithm());
        factory.init((KeyStore) null);
        for (TrustManager manager : factory.getTrustManagers()) {
            if (manager instanceof X509ExtendedTrustManager) {
                return new RecordingTrustManager((X509ExtendedTrustManager) manager);
            }
        }
        throw new GeneralSecurityException("the JVM's default TrustManagerFactory has no X509 trust manager");
    }

    /** The chain the server presented, leaf first; null before the handshake got that far. */
    X509Certificate[] chain() {
        return chain;
    }

    /** Why the JVM's trust manager refused the chain; null when it accepted it (or saw none). */
    CertificateException refusal() {
        return refusal;
    }

    @Override
    public void checkServerTrusted(X509Certificate[] serverChain, String authType, Socket socket) {
        record(serverChain, () -> jvmDefault.checkServerTrusted(serverChain, authType, socket));
    }

    @Override
    public void checkServerTrusted(X509Certificate[] serverChain, String authType, SSLEngine engine) {
        record(serverChain, () -> jvmDefault.checkServerTrusted(serverChain, authType, engine));
    }

    @Override
    public void checkServerTrusted(X509Certificate[] serverChain, String authType) {
        record(serverChain, () -> jvmDefault.checkServerTrusted(serverChain, authType));
    }

    private void record(X509Certificate[] serverChain, JvmCheck check) {
        chain = serverChain.clone();
        try {
            check.run();
        } catch (CertificateException e) {
            refusal = e;
        }
    }

    /** One of the default trust manager's checks, whose verdict is recorded rather than thrown. */
    private interface JvmCheck {
        void run() throws CertificateException;
    }

    @Override
    public void checkClientTrusted(X509Certificate[] clientChain, String authType, Socket socket)
        throws CertificateException {
        jvmDefault.checkClientTrusted(clientChain, authType, socket);
    }

    @Override
    public void checkClientTrusted(X509Certificate[] clientChain, String authType, SSLEngine engine)
        throws CertificateException {
        jvmDefault.checkClientTrusted(clientChain, authType, engine);
    }

    @Override
    public void checkClientTrusted(X509Certificate[] clientChain, String authType) throws CertificateException {
        jvmDefault.checkClientTrusted(clientChain, authType);
    }

    @Override
    public X509Certificate[] getAcceptedIssuers() {
        return jvmDefault.getAcceptedIssuers();
    }
}
