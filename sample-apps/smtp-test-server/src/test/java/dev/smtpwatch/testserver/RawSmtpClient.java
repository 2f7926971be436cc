package dev.smtpwatch.testserver;

import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStreamReader;
import java.io.OutputStream;
import java.net.Socket;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.Base64;
import java.util.List;
import javax.net.ssl.SSLContext;
import javax.net.ssl.SSLParameters;
import javax.net.ssl.SSLSocket;

/** A bare SMTP client over a socket, so the server is tested without any mail library in between. */
final class RawSmtpClient implements AutoCloseable {
    private static final int TIMEOUT_MILLIS = 5000;

    /** A complete reply: its code and all its lines. */
    static final class Reply {
        final int code;
        final List<String> lines;

        Reply(int code, List<String> lines) {
            this.code = code;
            this.lines = lines;
        }

        String lastLine() {
            return lines.get(lines.size() - 1);
        }

        @Override
        public String toString() {
            return String.join("\n", lines);
        }
    }

    private Socket socket;
    private BufferedReader in;
    private OutputStream out;

    private RawSmtpClient(Socket socket) throws IOException {
        use(socket);
    }

    static RawSmtpClient connect(int port) throws IOException {
        Socket socket = new Socket("127.0.0.1", port);
        socket.setSoTimeout(TIMEOUT_MILLIS);
        return new RawSmtpClient(socket);
    }

    /** Connects with TLS from the first byte, checking the certificate and that it names localhost. */
    static RawSmtpClient connectImplicitTls(int port, SSLContext context) throws IOException {
        RawSmtpClient client = connect(port);
        try {
            client.handshake(context);
        } catch (IOException e) {
            client.close();
            throw e;
        }
        return client;
    }

    static String base64(String text) {
        return Base64.getEncoder().encodeToString(text.getBytes(StandardCharsets.UTF_8));
    }

    Reply command(String line) throws IOException {
        send(line);
        return reply();
    }

    void send(String line) throws IOException {
        out.write((line + "\r\n").getBytes(StandardCharsets.ISO_8859_1));
        out.flush();
    }

    /** Reads one reply, following {@code 250-} continuation lines to the final {@code 250 } line. */
    Reply reply() throws IOException {
        List<String> lines = new ArrayList<>();
        String line;
        do {
            line = in.readLine();
            if (line == null) {
                throw new IOException("connection closed after " + lines);
            }
            lines.add(line);
        } while (line.length() > 3 && line.charAt(3) == '-');
        return new Reply(Integer.parseInt(line.substring(0, 3)), lines);
    }

    /** Reads one raw line; null when the server closed the connection. */
    String readLine() throws IOException {
        return in.readLine();
    }

    /** Sends STARTTLS, expects 220 and upgrades the connection. */
    Reply startTls(SSLContext context) throws IOException {
        Reply reply = command("STARTTLS");
        if (reply.code == 220) {
            handshake(context);
        }
        return reply;
    }

    String tlsProtocol() {
        return ((SSLSocket) socket).getSession().getProtocol();
    }

    void setTimeout(int millis) throws IOException {
        socket.setSoTimeout(millis);
    }

    private void handshake(SSLContext context) throws IOException {
        SSLSocket sslSocket = (SSLSocket) context.getSocketFactory().createSocket(socket, "localhost", socket.getPort(), true);
        SSLParameters parameters = sslSocket.getSSLParameters();
        parameters.setEndpointIdentificationAlgorithm("HTTPS");
        sslSocket.setSSLParameters(parameters);
        sslSocket.startHandshake();
        use(sslSocket);
    }

    private void use(Socket newSocket) throws IOException {
        socket = newSocket;
        in = new BufferedReader(new InputStreamReader(newSocket.getInputStream(), StandardCharsets.ISO_8859_1));
        out = newSocket.getOutputStream();
    }

    @Override
    public void close() throws IOException {
        socket.close();
    }
}
