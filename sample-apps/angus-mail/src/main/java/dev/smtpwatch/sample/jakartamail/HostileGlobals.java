package dev.smtpwatch.sample.jakartamail;

import java.io.IOException;
import java.net.Authenticator;
import java.net.InetAddress;
import java.net.PasswordAuthentication;
import java.net.Socket;
import java.net.URL;
import java.net.URLStreamHandler;
import javax.net.ssl.HttpsURLConnection;
import javax.net.ssl.SSLSocketFactory;

/**
 * An app that sets every JVM-wide networking default an HTTP client might pick up, each to something that records
 * the call on stderr ({@code hostile global consulted: …}) and refuses: a default {@code Authenticator}, the
 * default {@code HttpsURLConnection} socket factory and hostname verifier, a {@code URLStreamHandlerFactory} for
 * http and https whose handlers refuse to open a connection (the factory being asked for a handler, as any
 * {@code new URL("http://…")} does, is printed as {@code hostile global asked: …}). Then it sends mail as {@link SendMail} does. Whatever the agent exports must not go through them.
 */
public final class HostileGlobals {
    private HostileGlobals() {
    }

    public static void main(String[] args) {
        Authenticator.setDefault(new Authenticator() {
            @Override
            protected PasswordAuthentication getPasswordAuthentication() {
                consulted("Authenticator for " + getRequestingURL());
                return null;
            }
        });
        HttpsURLConnection.setDefaultHostnameVerifier((host, session) -> {
            consulted("HostnameVerifier for " + host);
            throw new IllegalStateException("hostile verifier");
        });
        HttpsURLConnection.setDefaultSSLSocketFactory(new RefusingSocketFactory());
        URL.setURLStreamHandlerFactory(protocol -> {
            if ("http".equals(protocol) || "https".equals(protocol)) {
                // asked, not yet used: parsing a URL string asks for a handler; only opening it uses one
                System.err.println("hostile global asked: URLStreamHandlerFactory for " + protocol);
                return new URLStreamHandler() {
                    @Override
                    protected java.net.URLConnection openConnection(URL url) throws IOException {
                        consulted("URL handler to open " + url);
                        throw new IOException("hostile handler");
                    }
                };
            }
            return null;
        });
        SendMail.main(args);
    }

    static void consulted(String what) {
        System.err.println("hostile global consulted: " + what);
    }

    private static final class RefusingSocketFactory extends SSLSocketFactory {
        private static IOException refuse() {
            consulted("HttpsURLConnection default SSLSocketFactory");
            return new IOException("hostile socket factory");
        }

        @Override
        public String[] getDefaultCipherSuites() {
            return new String[0];
        }

        @Override
        public String[] getSupportedCipherSuites() {
            return new String[0];
        }

        @Override
        public Socket createSocket(Socket s, String host, int port, boolean autoClose) throws IOException {
            throw refuse();
        }

        @Override
        public Socket createSocket(String host, int port) throws IOException {
            throw refuse();
        }

        @Override
        public Socket createSocket(String host, int port, InetAddress localHost, int localPort) throws IOException {
            throw refuse();
        }

        @Override
        public Socket createSocket(InetAddress host, int port) throws IOException {
            throw refuse();
        }

        @Override
        public Socket createSocket(InetAddress address, int port, InetAddress localAddress, int localPort)
            throws IOException {
            throw refuse();
        }
    }
}
