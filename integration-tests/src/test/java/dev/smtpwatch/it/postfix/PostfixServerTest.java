package dev.smtpwatch.it.postfix;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assertions.fail;

import java.io.BufferedReader;
import java.io.Closeable;
import java.io.IOException;
import java.io.InputStreamReader;
import java.io.OutputStream;
import java.net.InetSocketAddress;
import java.net.Socket;
import java.net.SocketTimeoutException;
import java.nio.charset.StandardCharsets;
import java.security.cert.CertificateExpiredException;
import java.security.cert.X509Certificate;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Base64;
import java.util.Date;
import java.util.List;
import java.util.UUID;

import javax.net.ssl.SSLContext;
import javax.net.ssl.SSLHandshakeException;
import javax.net.ssl.SSLParameters;
import javax.net.ssl.SSLSocket;
import javax.net.ssl.TrustManager;
import javax.net.ssl.X509TrustManager;

import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

import dev.smtpwatch.it.postfix.PostfixServer.Connection;
import dev.smtpwatch.it.postfix.PostfixServer.Listener;

/** Tests of the Postfix harness itself, with raw sockets (no mail library). */
@PostfixServer.Required
class PostfixServerTest {

    static final String CANARY = PostfixServer.CANARY_PASSWORD;
    static final Duration WAIT = Duration.ofSeconds(10);

    static PostfixServer server;

    @BeforeAll
    static void startServer() {
        long t0 = System.nanoTime();
        server = PostfixServer.shared();
        System.out.println("PostfixServer.shared() took " + (System.nanoTime() - t0) / 1_000_000 + " ms (start "
                + server.startupMillis() + " ms): " + server);
    }

    @Test
    void submissionRequiresStartTlsBeforeMailAndAuth() throws Exception {
        try (Smtp c = Smtp.connect(server, Listener.SUBMISSION)) {
            assertEquals(220, c.greeting().code);
            Reply ehlo = c.cmd("EHLO client.example");
            assertEquals(250, ehlo.code);
            assertTrue(ehlo.hasLine("STARTTLS"), ehlo.text);
            assertFalse(ehlo.hasLinePrefix("AUTH"), "AUTH must not be offered before TLS: " + ehlo.text);

            Reply mail = c.cmd("MAIL FROM:<sender@example.com>");
            assertEquals(530, mail.code, mail.text);
            assertTrue(mail.text.contains("5.7.0 Must issue a STARTTLS command first"), mail.text);

            Reply auth = c.cmd("AUTH PLAIN " + plain(server.user(), CANARY));
            assertEquals(530, auth.code, auth.text);
            assertTrue(auth.text.contains("5.7.0 Must issue a STARTTLS command first"), auth.text);
        }
    }

    @Test
    void submissionAuthAndSendAfterStartTls() throws Exception {
        long mark = server.maillogMark();
        String subject = "harness-" + UUID.randomUUID();
        int clientPort;
        String queued;
        try (Smtp c = Smtp.connect(server, Listener.SUBMISSION)) {
            clientPort = c.localPort();
            c.greeting();
            c.cmd("EHLO client.example").expect(250);
            c.cmd("STARTTLS").expect(220);
            SSLSocket tls = c.startTls(server.sslContext(), true);
            assertEquals("TLSv1.3", tls.getSession().getProtocol());
            Reply ehlo = c.cmd("EHLO client.example").expect(250);
            assertTrue(ehlo.hasLinePrefix("AUTH PLAIN LOGIN") || ehlo.hasLinePrefix("AUTH LOGIN PLAIN"), ehlo.text);
            assertFalse(ehlo.hasLine("STARTTLS"), ehlo.text);
            c.cmd("AUTH PLAIN " + plain(server.user(), CANARY)).expect(235);
            queued = sendMessage(c, "recipient@example.org", subject);
            c.cmd("QUIT").expect(221);
        }
        String mbox = server.awaitMail(subject, WAIT);
        assertTrue(mbox.contains("To: recipient@example.org"), mbox);

        Connection conn = server.awaitConnection(Listener.SUBMISSION, mark, clientPort, WAIT);
        assertEquals("ehlo=2 starttls=1 auth=1 mail=1 rcpt=1 data=1 quit=1 commands=8", conn.summary());
        assertEquals(8, conn.ok("commands"));
        assertEquals(1, conn.total("starttls"));
        assertEquals("TLSv1.3", conn.tlsProtocol());
        assertTrue(conn.tlsCipher().startsWith("TLS_"), conn.tlsCipher());
        assertEquals("PLAIN", conn.saslMethod());
        assertEquals(PostfixServer.USER, conn.saslUsername());
        assertTrue(queued.contains(conn.queueIds().get(0)), queued + " vs " + conn.queueIds());
    }

    @Test
    void implicitListenerSpeaksTlsFromTheFirstByte() throws Exception {
        // Plaintext client: the server waits for a TLS ClientHello and never greets.
        try (Socket plain = new Socket()) {
            plain.connect(new InetSocketAddress(server.host(), server.port(Listener.IMPLICIT)), 2000);
            plain.setSoTimeout(700);
            assertThrows(SocketTimeoutException.class, () -> plain.getInputStream().read());
        }
        long mark = server.maillogMark();
        int clientPort;
        try (Smtp c = Smtp.connectImplicit(server, Listener.IMPLICIT, server.sslContext())) {
            clientPort = c.localPort();
            assertEquals(220, c.greeting().code);
            Reply ehlo = c.cmd("EHLO client.example").expect(250);
            assertTrue(ehlo.hasLinePrefix("AUTH"), ehlo.text);
            assertFalse(ehlo.hasLine("STARTTLS"), ehlo.text);
            c.cmd("AUTH PLAIN " + plain(server.user(), CANARY)).expect(235);
            c.cmd("QUIT").expect(221);
        }
        Connection conn = server.awaitConnection(Listener.IMPLICIT, mark, clientPort, WAIT);
        assertNotNull(conn.tlsProtocol(), conn.lines().toString());
        assertEquals(1, conn.ok("auth"));
        assertEquals(0, conn.total("starttls"));
    }

    @Test
    void legacyListenerAcceptsAuthLoginInPlaintext() throws Exception {
        long mark = server.maillogMark();
        String subject = "legacy-" + UUID.randomUUID();
        int clientPort;
        try (Smtp c = Smtp.connect(server, Listener.LEGACY)) {
            clientPort = c.localPort();
            c.greeting();
            Reply ehlo = c.cmd("EHLO client.example").expect(250);
            assertTrue(ehlo.hasLine("STARTTLS"), ehlo.text);
            assertTrue(ehlo.hasLinePrefix("AUTH"), "AUTH offered in plaintext: " + ehlo.text);
            assertEquals("VXNlcm5hbWU6", c.cmd("AUTH LOGIN").expect(334).text.substring(4)); // "Username:"
            c.cmd(b64(server.user())).expect(334);
            c.cmd(b64(CANARY)).expect(235);
            sendMessage(c, "someone@example.net", subject);
            c.cmd("QUIT").expect(221);
        }
        server.awaitMail(subject, WAIT);
        Connection conn = server.awaitConnection(Listener.LEGACY, mark, clientPort, WAIT);
        assertEquals("LOGIN", conn.saslMethod());
        assertEquals(null, conn.tlsProtocol());
        assertEquals("ehlo=1 auth=1 mail=1 rcpt=1 data=1 quit=1 commands=6", conn.summary());
    }

    @Test
    void notlsListenerAnswersStartTlsWith502() throws Exception {
        try (Smtp c = Smtp.connect(server, Listener.NOTLS)) {
            c.greeting();
            Reply ehlo = c.cmd("EHLO client.example").expect(250);
            assertFalse(ehlo.hasLine("STARTTLS"), ehlo.text);
            assertTrue(ehlo.hasLinePrefix("AUTH"), ehlo.text);
            Reply starttls = c.cmd("STARTTLS");
            assertEquals(502, starttls.code, starttls.text);
            c.cmd("AUTH PLAIN " + plain(server.user(), CANARY)).expect(235);
            c.cmd("QUIT").expect(221);
        }
    }

    @Test
    void wrongPasswordIsRejectedWith535AndLogged() throws Exception {
        long mark = server.maillogMark();
        int clientPort;
        try (Smtp c = Smtp.connect(server, Listener.NOTLS)) {
            clientPort = c.localPort();
            c.greeting();
            c.cmd("EHLO client.example").expect(250);
            Reply r = c.cmd("AUTH PLAIN " + plain(server.user(), "not-the-password"));
            assertEquals(535, r.code, r.text);
            c.cmd("QUIT").expect(221);
        }
        Connection conn = server.awaitConnection(Listener.NOTLS, mark, clientPort, WAIT);
        assertEquals("0/1", conn.counts().get("auth"));
        assertEquals(List.of("PLAIN"), conn.saslFailures());
    }

    @Test
    void rejectRecipientGets5xxAtRcpt() throws Exception {
        long mark = server.maillogMark();
        int clientPort;
        try (Smtp c = Smtp.connect(server, Listener.SUBMISSION)) {
            clientPort = c.localPort();
            c.greeting();
            c.cmd("EHLO client.example").expect(250);
            c.cmd("STARTTLS").expect(220);
            c.startTls(server.sslContext(), true);
            c.cmd("EHLO client.example").expect(250);
            c.cmd("AUTH PLAIN " + plain(server.user(), CANARY)).expect(235);
            c.cmd("MAIL FROM:<sender@example.com>").expect(250);
            Reply r = c.cmd("RCPT TO:<" + PostfixServer.REJECTED_RECIPIENT + ">");
            assertEquals(550, r.code, r.text);
            c.cmd("RCPT TO:<fine@example.org>").expect(250);
            c.cmd("RSET").expect(250);
            c.cmd("QUIT").expect(221);
        }
        Connection conn = server.awaitConnection(Listener.SUBMISSION, mark, clientPort, WAIT);
        assertEquals(1, conn.ok("rcpt"));
        assertEquals(2, conn.total("rcpt"));
        assertEquals(1, conn.rejects().size(), conn.lines().toString());
    }

    @Test
    void unauthenticatedClientCannotRelayOnSubmission() throws Exception {
        try (Smtp c = Smtp.connect(server, Listener.SUBMISSION)) {
            c.greeting();
            c.cmd("EHLO client.example").expect(250);
            c.cmd("STARTTLS").expect(220);
            c.startTls(server.sslContext(), true);
            c.cmd("EHLO client.example").expect(250);
            c.cmd("MAIL FROM:<sender@example.com>").expect(250);
            Reply r = c.cmd("RCPT TO:<someone@example.org>");
            assertEquals(5, r.code / 100, r.text);
            c.cmd("QUIT").expect(221);
        }
    }

    @Test
    void wrongHostListenerPresentsCertificateForWrongExample() throws Exception {
        // Trusted chain, so without a host name check the handshake succeeds and shows the wrong name.
        try (Smtp c = Smtp.connect(server, Listener.WRONG_HOST)) {
            c.greeting();
            c.cmd("EHLO client.example").expect(250);
            c.cmd("STARTTLS").expect(220);
            SSLSocket tls = c.startTls(server.sslContext(), false);
            X509Certificate leaf = (X509Certificate) tls.getSession().getPeerCertificates()[0];
            assertTrue(leaf.getSubjectX500Principal().getName().contains("CN=wrong.example"),
                    leaf.getSubjectX500Principal().getName());
            assertEquals("[[2, wrong.example]]", String.valueOf(leaf.getSubjectAlternativeNames()));
        }
        // With host name verification for localhost, the handshake fails.
        try (Smtp c = Smtp.connect(server, Listener.WRONG_HOST)) {
            c.greeting();
            c.cmd("EHLO client.example").expect(250);
            c.cmd("STARTTLS").expect(220);
            SSLHandshakeException e = assertThrows(SSLHandshakeException.class,
                    () -> c.startTls(server.sslContext(), true));
            assertTrue(String.valueOf(e.getMessage()).contains("localhost")
                    || String.valueOf(e.getMessage()).contains("subject alternative"), String.valueOf(e));
        }
        // The normal listener passes the same check.
        try (Smtp c = Smtp.connect(server, Listener.SUBMISSION)) {
            c.greeting();
            c.cmd("EHLO client.example").expect(250);
            c.cmd("STARTTLS").expect(220);
            c.startTls(server.sslContext(), true);
            c.cmd("EHLO client.example").expect(250);
        }
    }

    @Test
    void expiredListenerPresentsExpiredCertificate() throws Exception {
        try (Smtp c = Smtp.connect(server, Listener.EXPIRED)) {
            c.greeting();
            c.cmd("EHLO client.example").expect(250);
            c.cmd("STARTTLS").expect(220);
            SSLHandshakeException e = assertThrows(SSLHandshakeException.class,
                    () -> c.startTls(server.sslContext(), true));
            assertTrue(hasCause(e, CertificateExpiredException.class), String.valueOf(e));
        }
        try (Smtp c = Smtp.connect(server, Listener.EXPIRED)) {
            c.greeting();
            c.cmd("EHLO client.example").expect(250);
            c.cmd("STARTTLS").expect(220);
            SSLSocket tls = c.startTls(trustAll(), false);
            X509Certificate leaf = (X509Certificate) tls.getSession().getPeerCertificates()[0];
            assertTrue(leaf.getNotAfter().before(new Date()), "notAfter " + leaf.getNotAfter());
            assertTrue(String.valueOf(leaf.getSubjectAlternativeNames()).contains("localhost"));
        }
    }

    @Test
    void maillogParserSeesMyConnection() throws Exception {
        long mark = server.maillogMark();
        List<Integer> mine = new ArrayList<>();
        for (int i = 0; i < 2; i++) {
            try (Smtp c = Smtp.connect(server, Listener.NOTLS)) {
                mine.add(c.localPort());
                c.greeting();
                c.cmd("EHLO client.example").expect(250);
                c.cmd("NOOP").expect(250);
                c.cmd("QUIT").expect(221);
            }
        }
        List<Connection> done = server.awaitConnections(Listener.NOTLS, mark, 2, WAIT);
        assertEquals(mine, List.of(done.get(0).clientPort(), done.get(1).clientPort()));
        for (Connection conn : done) {
            assertEquals("ehlo=1 noop=1 quit=1 commands=3", conn.summary());
            assertEquals(null, conn.tlsProtocol());
        }
        assertTrue(server.connectionsSince(Listener.SUBMISSION, mark).isEmpty());
        assertFalse(server.maillogLinesSince(mark).isEmpty());
    }

    @Test
    void parserHandlesFailedCountsAndLostConnections() {
        List<String> lines = List.of(
                "Nov 23 14:20:33 localhost postfix/legacy/smtpd[1]: connect from localhost[127.0.0.1]:40001",
                "Nov 23 14:20:33 localhost postfix/legacy/smtpd[1]: warning: localhost[127.0.0.1]:40001: "
                        + "SASL LOGIN authentication failed: UGFzc3dvcmQ6",
                "Nov 23 14:20:33 localhost postfix/legacy/smtpd[1]: lost connection after AUTH from "
                        + "localhost[127.0.0.1]:40001",
                "Nov 23 14:20:33 localhost postfix/submission/smtpd[2]: disconnect from localhost[127.0.0.1]:1 "
                        + "ehlo=1 commands=1",
                "Nov 23 14:20:33 localhost postfix/legacy/smtpd[1]: disconnect from localhost[127.0.0.1]:40001 "
                        + "ehlo=1 auth=0/1 commands=1/2");
        List<Connection> all = PostfixServer.parseConnections(lines);
        assertEquals(1, all.size());
        Connection c = all.get(0);
        assertEquals(Listener.LEGACY, c.listener());
        assertEquals(40001, c.clientPort());
        assertEquals(0, c.ok("auth"));
        assertEquals(1, c.total("auth"));
        assertEquals(2, c.total("commands"));
        assertEquals(List.of("LOGIN"), c.saslFailures());
        assertTrue(c.endReason().startsWith("lost connection after AUTH"));
    }

    // ------------------------------------------------------------------------------------------------ helpers

    static String sendMessage(Smtp c, String to, String subject) throws IOException {
        c.cmd("MAIL FROM:<sender@example.com>").expect(250);
        c.cmd("RCPT TO:<" + to + ">").expect(250);
        c.cmd("DATA").expect(354);
        Reply r = c.cmd("From: sender@example.com\r\nTo: " + to + "\r\nSubject: " + subject + "\r\n\r\nbody\r\n.")
                .expect(250);
        assertTrue(r.text.contains("queued as"), r.text);
        return r.text;
    }

    static String plain(String user, String password) {
        return b64("\0" + user + "\0" + password);
    }

    static String b64(String s) {
        return Base64.getEncoder().encodeToString(s.getBytes(StandardCharsets.UTF_8));
    }

    static boolean hasCause(Throwable t, Class<? extends Throwable> type) {
        for (Throwable x = t; x != null; x = x.getCause()) {
            if (type.isInstance(x)) {
                return true;
            }
        }
        return false;
    }

    static SSLContext trustAll() throws Exception {
        SSLContext ctx = SSLContext.getInstance("TLS");
        ctx.init(null, new TrustManager[] {new X509TrustManager() {
            @Override
            public void checkClientTrusted(X509Certificate[] chain, String authType) {
            }

            @Override
            public void checkServerTrusted(X509Certificate[] chain, String authType) {
            }

            @Override
            public X509Certificate[] getAcceptedIssuers() {
                return new X509Certificate[0];
            }
        }}, null);
        return ctx;
    }

    static final class Reply {
        final int code;
        final String text;

        Reply(int code, String text) {
            this.code = code;
            this.text = text;
        }

        Reply expect(int expected) {
            if (code != expected) {
                fail("expected " + expected + " but got: " + text);
            }
            return this;
        }

        boolean hasLine(String keyword) {
            for (String l : text.split("\r?\n")) {
                if (l.length() > 4 && l.substring(4).trim().equals(keyword)) {
                    return true;
                }
            }
            return false;
        }

        boolean hasLinePrefix(String prefix) {
            for (String l : text.split("\r?\n")) {
                if (l.length() > 4 && l.substring(4).startsWith(prefix)) {
                    return true;
                }
            }
            return false;
        }
    }

    /** A minimal line-based SMTP client over a socket that can be upgraded to TLS. */
    static final class Smtp implements Closeable {
        private final Socket raw;
        private Socket socket;
        private BufferedReader in;
        private OutputStream out;

        private Smtp(Socket raw) throws IOException {
            this.raw = raw;
            use(raw);
        }

        static Smtp connect(PostfixServer server, Listener l) throws IOException {
            Socket s = new Socket();
            s.connect(new InetSocketAddress(server.host(), server.port(l)), 3000);
            s.setSoTimeout(10_000);
            return new Smtp(s);
        }

        static Smtp connectImplicit(PostfixServer server, Listener l, SSLContext ctx) throws IOException {
            Socket s = new Socket();
            s.connect(new InetSocketAddress(server.host(), server.port(l)), 3000);
            s.setSoTimeout(10_000);
            SSLSocket tls = (SSLSocket) ctx.getSocketFactory().createSocket(s, "localhost", server.port(l), true);
            SSLParameters p = tls.getSSLParameters();
            p.setEndpointIdentificationAlgorithm("HTTPS");
            tls.setSSLParameters(p);
            tls.startHandshake();
            Smtp c = new Smtp(s);
            c.use(tls);
            return c;
        }

        private void use(Socket s) throws IOException {
            socket = s;
            in = new BufferedReader(new InputStreamReader(s.getInputStream(), StandardCharsets.US_ASCII));
            out = s.getOutputStream();
        }

        int localPort() {
            return raw.getLocalPort();
        }

        Reply greeting() throws IOException {
            return read();
        }

        Reply cmd(String line) throws IOException {
            out.write((line + "\r\n").getBytes(StandardCharsets.UTF_8));
            out.flush();
            return read();
        }

        SSLSocket startTls(SSLContext ctx, boolean verifyHostName) throws IOException {
            SSLSocket tls = (SSLSocket) ctx.getSocketFactory().createSocket(socket, "localhost", raw.getPort(), true);
            if (verifyHostName) {
                SSLParameters p = tls.getSSLParameters();
                p.setEndpointIdentificationAlgorithm("HTTPS");
                tls.setSSLParameters(p);
            }
            tls.startHandshake();
            use(tls);
            return tls;
        }

        private Reply read() throws IOException {
            StringBuilder sb = new StringBuilder();
            while (true) {
                String l = in.readLine();
                if (l == null) {
                    throw new IOException("connection closed; so far: " + sb);
                }
                sb.append(l).append('\n');
                if (l.length() < 4 || l.charAt(3) != '-') {
                    return new Reply(Integer.parseInt(l.substring(0, 3)), sb.toString().trim());
                }
            }
        }

        @Override
        public void close() throws IOException {
            socket.close();
            raw.close();
        }
    }
}
