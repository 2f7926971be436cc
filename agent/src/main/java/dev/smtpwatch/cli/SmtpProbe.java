package dev.smtpwatch.cli;

import java.io.BufferedInputStream;
import java.io.ByteArrayOutputStream;
import java.io.Closeable;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.ConnectException;
import java.net.Inet6Address;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.NoRouteToHostException;
import java.net.Socket;
import java.net.SocketTimeoutException;
import java.net.UnknownHostException;
import java.nio.charset.StandardCharsets;
import java.security.GeneralSecurityException;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Date;
import java.util.List;
import javax.net.ssl.SSLContext;
import javax.net.ssl.SSLException;
import javax.net.ssl.SSLSession;
import javax.net.ssl.SSLSocket;
import javax.net.ssl.TrustManager;

/**
 * The conversation behind {@code probe}: plain JDK sockets and the JVM's own TLS ({@code SSLContext "TLS"}, so
 * {@code jdk.tls.client.protocols} and {@code jdk.tls.disabledAlgorithms} apply as they do to the mail libraries),
 * trusting through {@link RecordingTrustManager}. It sends EHLO, STARTTLS and QUIT only: never AUTH, MAIL or data.
 *
 * <p>Order: connect; wait up to the timeout for a greeting; none → a TLS handshake on the same connection (implicit
 * TLS). Port 465, where implicit TLS is the convention (RFC 8314), starts with the handshake instead, so that the
 * usual case does not wait out the timeout; a server there that answers the handshake in plaintext is probed again
 * in plaintext on a new connection.
 */
final class SmtpProbe {
    /** RFC 8314: message submission over implicit TLS. */
    static final int IMPLICIT_TLS_PORT = 465;
    private static final int MAX_LINE = 4096;
    private static final int MAX_REPLY_LINES = 200;

    private final ProbeResult result;
    private final int timeoutMillis;
    private final SSLContext tls;
    private final RecordingTrustManager trust;

    private SmtpProbe(ProbeResult result, int timeoutMillis) throws CliException {
        this.result = result;
        this.timeoutMillis = timeoutMillis;
        try {
            trust = RecordingTrustManager.ofJvmDefault();
            tls = SSLContext.getInstance("TLS");
            tls.init(null, new TrustManager[] {trust}, null);
        } catch (GeneralSecurityException e) {
            throw CliException.couldNotProbe("this JVM cannot set up TLS: " + e.getMessage());
        }
        result.clientProtocols = Arrays.asList(tls.getDefaultSSLParameters().getProtocols());
    }

    /**
     * Probes {@code host:port}.
     *
     * @param serverName the name to send as SNI and to check the certificate against
     * @throws CliException (exit 2) when there is nothing to probe: unknown host, refused, no connection within the
     *     timeout, a connection closed or refused before any SMTP, or a peer that does not speak SMTP
     */
    static ProbeResult probe(String host, int port, String serverName, int timeoutMillis) throws CliException {
        ProbeResult result = new ProbeResult(host, port, serverName, new Date());
        new SmtpProbe(result, timeoutMillis).run();
        return result;
    }

    private void run() throws CliException {
        InetSocketAddress address = resolve();
        result.address = address.getAddress().getHostAddress();
        if (result.port == IMPLICIT_TLS_PORT) {
            try (Socket socket = connect(address)) {
                SSLSocket session = handshake(socket);
                if (!answeredInPlaintext(result.tlsFailure)) {
                    implicitTls(session);
                    return;
                }
            } catch (IOException e) {
                throw broken(e);
            }
            result.tlsAttempted = false;
            result.tlsFailure = null;
        }
        try (Socket socket = connect(address)) {
            plaintextFirst(socket);
        } catch (IOException e) {
            throw broken(e);
        }
    }

    private void plaintextFirst(Socket socket) throws IOException, CliException {
        Wire wire = new Wire(socket);
        SmtpReply greeting;
        try {
            greeting = wire.readReply();
        } catch (SocketTimeoutException silent) {
            // no greeting within the timeout: the port may want TLS from the first byte
            implicitTls(handshake(socket));
            return;
        }
        acceptGreeting(greeting);
        SmtpReply ehlo = wire.command("EHLO " + clientName(socket), "EHLO");
        if (ehlo == null) {
            return;
        }
        result.mode = ProbeResult.Mode.NONE;
        result.ehloBeforeTls = EhloCapabilities.of(ehlo);
        if (!result.startTlsOffered()) {
            wire.quit();
            return;
        }
        result.mode = ProbeResult.Mode.STARTTLS;
        SmtpReply startTls = wire.command("STARTTLS", "STARTTLS");
        if (startTls == null) {
            result.startTlsReply = ProbeResult.NO_REPLY;
            return;
        }
        result.startTlsReply = startTls.code();
        if (startTls.code() != 220) {
            wire.quit();
            return;
        }
        SSLSocket session = handshake(socket);
        if (result.tlsFailure instanceof SocketTimeoutException) {
            result.tlsFailure = null;
            result.stuckAt = "answered STARTTLS with 220 but did not complete a TLS handshake within " + seconds();
        }
        if (session != null) {
            Wire overTls = new Wire(session);
            SmtpReply secureEhlo = overTls.command("EHLO " + clientName(socket), "EHLO after TLS");
            if (secureEhlo != null) {
                result.ehloAfterTls = EhloCapabilities.of(secureEhlo);
                overTls.quit();
            }
        }
    }

    /**
     * After a handshake from the first byte: an implicit-TLS session ({@code session}), a handshake that failed in
     * TLS terms (null), or a server that answered neither in TLS nor in plaintext within the timeout.
     */
    private void implicitTls(SSLSocket session) throws IOException, CliException {
        if (session == null && (result.tlsFailure instanceof SocketTimeoutException
            || answeredInPlaintext(result.tlsFailure))) {
            result.tlsAttempted = false;
            result.tlsFailure = null;
            result.stuckAt = "accepted the connection but sent no greeting and did not answer a TLS handshake within "
                + seconds();
            return;
        }
        result.mode = ProbeResult.Mode.IMPLICIT;
        if (session == null) {
            return;
        }
        Wire wire = new Wire(session);
        SmtpReply greeting;
        try {
            greeting = wire.readReply();
        } catch (SocketTimeoutException silent) {
            result.stuckAt = "completed the TLS handshake but sent no greeting within " + seconds();
            return;
        }
        acceptGreeting(greeting);
        SmtpReply ehlo = wire.command("EHLO " + clientName(session), "EHLO");
        if (ehlo != null) {
            result.ehloAfterTls = EhloCapabilities.of(ehlo);
            wire.quit();
        }
    }

    private void acceptGreeting(SmtpReply greeting) throws CliException {
        if (greeting == null) {
            throw CliException.couldNotProbe(result.where() + " closed the connection without a greeting");
        }
        if (greeting.code() != 220) {
            throw CliException.couldNotProbe(result.where() + " refused the session: " + greeting.code() + " "
                + ProbeOutput.printable(greeting.firstLine()));
        }
        result.greeting = greeting;
    }

    /** Wraps the connection in TLS; the session, or null with {@link ProbeResult#tlsFailure} set. */
    private SSLSocket handshake(Socket socket) throws IOException {
        result.tlsAttempted = true;
        SSLSocket session = (SSLSocket) tls.getSocketFactory().createSocket(socket, result.serverName, result.port,
            false);
        session.setSoTimeout(timeoutMillis);
        try {
            session.startHandshake();
        } catch (IOException e) {
            result.tlsFailure = e;
            result.chain = trust.chain();
            return null;
        }
        SSLSession established = session.getSession();
        result.tlsEstablished = true;
        result.tlsProtocol = established.getProtocol();
        result.tlsCipher = established.getCipherSuite();
        result.chain = trust.chain();
        result.trustRefusal = trust.refusal();
        return session;
    }

    /** The JDK read an SMTP line where a TLS record should be: the server speaks plaintext. */
    private static boolean answeredInPlaintext(Exception failure) {
        return failure instanceof SSLException && failure.getMessage() != null
            && failure.getMessage().contains("nrecognized SSL message");
    }

    private InetSocketAddress resolve() throws CliException {
        try {
            return new InetSocketAddress(InetAddress.getByName(result.host), result.port);
        } catch (UnknownHostException e) {
            throw CliException.couldNotProbe("cannot probe " + result.where() + ": unknown host " + result.host);
        }
    }

    private Socket connect(InetSocketAddress address) throws CliException {
        Socket socket = new Socket();
        try {
            socket.connect(address, timeoutMillis);
            socket.setSoTimeout(timeoutMillis);
            return socket;
        } catch (IOException e) {
            close(socket);
            String why = e instanceof ConnectException ? "connection refused"
                : e instanceof SocketTimeoutException ? "no connection within " + seconds()
                : e instanceof NoRouteToHostException ? "no route to host" : String.valueOf(e.getMessage());
            throw CliException.couldNotProbe("cannot probe " + result.where() + ": " + why);
        }
    }

    private CliException broken(IOException e) {
        String why = e instanceof SocketTimeoutException ? "no reply within " + seconds() : e.getMessage();
        return CliException.couldNotProbe("cannot probe " + result.where() + ": the connection broke (" + why + ")");
    }

    private String seconds() {
        return timeoutMillis % 1000 == 0 ? timeoutMillis / 1000 + " s" : timeoutMillis + " ms";
    }

    /** The EHLO argument: our address literal (RFC 5321 §4.1.3), valid everywhere and needing no DNS. */
    private static String clientName(Socket socket) {
        InetAddress local = socket.getLocalAddress();
        return local instanceof Inet6Address ? "[IPv6:" + local.getHostAddress() + "]"
            : "[" + local.getHostAddress() + "]";
    }

    private static void close(Closeable closeable) {
        try {
            closeable.close();
        } catch (IOException ignored) {
            // closing is all that was left to do
        }
    }

    /** Reads replies from and writes commands to one stream (the plaintext one, or the TLS one after a handshake). */
    private final class Wire {
        private final InputStream in;
        private final OutputStream out;

        Wire(Socket socket) throws IOException {
            in = new BufferedInputStream(socket.getInputStream());
            out = socket.getOutputStream();
        }

        /**
         * Sends a command and reads its reply; null (and {@link ProbeResult#stuckAt} set) when no reply came within
         * the timeout.
         *
         * @param step the command as the user reads it in a message ("EHLO after TLS")
         */
        SmtpReply command(String line, String step) throws IOException, CliException {
            out.write((line + "\r\n").getBytes(StandardCharsets.US_ASCII));
            out.flush();
            SmtpReply reply;
            try {
                reply = readReply();
            } catch (SocketTimeoutException silent) {
                result.stuckAt = "gave no reply to " + step + " within " + seconds();
                return null;
            }
            if (reply == null) {
                throw CliException.couldNotProbe(result.where() + " closed the connection instead of answering " + step);
            }
            return reply;
        }

        /** QUIT, and whatever the reply: the probe is over. */
        void quit() {
            try {
                out.write("QUIT\r\n".getBytes(StandardCharsets.US_ASCII));
                out.flush();
                readReply();
            } catch (IOException | CliException ignored) {
                // the server may close first; nothing depends on the reply to QUIT
            }
        }

        /** The next reply; null when the connection ends first. */
        SmtpReply readReply() throws IOException, CliException {
            List<String> lines = new ArrayList<String>();
            while (lines.size() < MAX_REPLY_LINES) {
                String text = readLine();
                if (text == null) {
                    return null;
                }
                SmtpReply.Line line = SmtpReply.parseLine(text);
                if (line == null) {
                    throw CliException.couldNotProbe(result.where() + " does not speak SMTP: it sent '"
                        + ProbeOutput.printable(text) + "'");
                }
                lines.add(line.text);
                if (line.last) {
                    return new SmtpReply(line.code, lines);
                }
            }
            throw CliException.couldNotProbe(result.where() + " sent a reply of more than " + MAX_REPLY_LINES
                + " lines");
        }

        private String readLine() throws IOException {
            ByteArrayOutputStream line = new ByteArrayOutputStream();
            for (int b; (b = in.read()) != -1; ) {
                if (b == '\n') {
                    byte[] bytes = line.toByteArray();
                    int length = bytes.length > 0 && bytes[bytes.length - 1] == '\r' ? bytes.length - 1 : bytes.length;
                    return new String(bytes, 0, length, StandardCharsets.ISO_8859_1);
                }
                if (line.size() < MAX_LINE) {
                    line.write(b);
                }
            }
            return line.size() == 0 ? null : line.toString("ISO-8859-1");
        }
    }
}
