package dev.smtpwatch.otel;

import io.opentelemetry.sdk.common.export.HttpResponse;
import java.io.BufferedInputStream;
import java.io.ByteArrayOutputStream;
import java.io.EOFException;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.InetSocketAddress;
import java.net.Proxy;
import java.net.Socket;
import java.net.URI;
import java.nio.channels.SocketChannel;
import java.security.GeneralSecurityException;
import java.util.Locale;
import javax.net.ssl.SSLContext;
import javax.net.ssl.SSLParameters;
import javax.net.ssl.SSLSocket;

/**
 * HTTP/1.1 POSTs to one endpoint over sockets this class opens itself, keeping one connection alive between
 * exports. TLS: the SDK's configured context, else a fresh context over the JVM's default trust store — never the
 * app's {@code SSLContext.setDefault} or {@code HttpsURLConnection} defaults — with the JDK's own HTTPS hostname
 * check. An HTTP proxy (from the SDK's proxy options) is used with an absolute URI, or CONNECT for https.
 */
final class HttpConnections {
    static final long MAX_RESPONSE_BODY = 64 * 1024;
    private static final int MAX_HEADER_LINE = 8 * 1024;
    private static final int MAX_HEADER_LINES = 100;

    private final URI endpoint;
    private final String host;
    private final int port;
    private final boolean https;
    private final Proxy proxy;
    private final int connectTimeoutMillis;
    private final int readTimeoutMillis;
    private final SSLContext configuredTls;
    private final long maxResponseBody;
    private Connection idle;
    private SSLContext ownTls;

    HttpConnections(URI endpoint, Proxy proxy, int connectTimeoutMillis, int readTimeoutMillis,
                    SSLContext configuredTls, long maxResponseBody) {
        this.endpoint = endpoint;
        this.https = "https".equalsIgnoreCase(endpoint.getScheme());
        String h = endpoint.getHost();
        this.host = h != null && h.startsWith("[") && h.endsWith("]") ? h.substring(1, h.length() - 1) : h;
        this.port = endpoint.getPort() >= 0 ? endpoint.getPort() : https ? 443 : 80;
        this.proxy = proxy;
        this.connectTimeoutMillis = connectTimeoutMillis;
        this.readTimeoutMillis = readTimeoutMillis;
        this.configuredTls = configuredTls;
        this.maxResponseBody = maxResponseBody;
    }

    HttpResponse post(String headers, byte[] body) throws IOException {
        Connection connection = takeIdle();
        boolean reused = connection != null;
        if (connection == null) {
            connection = open();
        }
        try {
            return exchange(connection, headers, body);
        } catch (IOException e) {
            connection.close();
            if (!reused || connection.responseStarted) {
                throw e;
            }
            // the collector closed the kept connection while it was idle: once more on a new one
            return exchange(open(), headers, body);
        }
    }

    private HttpResponse exchange(Connection connection, String headers, byte[] body) throws IOException {
        boolean viaHttpProxy = proxy.type() == Proxy.Type.HTTP && !https;
        String target = viaHttpProxy ? endpoint.toASCIIString() : pathAndQuery();
        String head = "POST " + target + " HTTP/1.1\r\n"
            + "Host: " + hostHeader() + "\r\n"
            + "User-Agent: smtpwatch-otlp\r\n"
            + headers
            + "Content-Length: " + body.length + "\r\n\r\n";
        connection.responseStarted = false;
        OutputStream out = connection.socket.getOutputStream();
        out.write(OtlpHttpSender.ascii(head));
        out.write(body);
        out.flush();
        Response response = connection.readResponse(maxResponseBody);
        if (response.keepAlive) {
            giveBack(connection);
        } else {
            connection.close();
        }
        return response;
    }

    private String pathAndQuery() {
        String path = endpoint.getRawPath() == null || endpoint.getRawPath().isEmpty() ? "/" : endpoint.getRawPath();
        return endpoint.getRawQuery() == null ? path : path + "?" + endpoint.getRawQuery();
    }

    private String hostHeader() {
        String name = host.indexOf(':') >= 0 ? "[" + host + "]" : host;
        return name + ":" + port;
    }

    private synchronized Connection takeIdle() {
        Connection c = idle;
        idle = null;
        return c;
    }

    private void giveBack(Connection connection) {
        Connection replaced;
        synchronized (this) {
            replaced = idle;
            idle = connection;
        }
        if (replaced != null) {
            replaced.close();
        }
    }

    /**
     * A channel's socket, not a plain {@code Socket}: the app's mail goes out through {@code Socket}, whose code the
     * JIT compiled for the app's connects, and a refused connect to a collector that is down through the same code
     * makes the JIT throw that code away, so the app's connects run slower for seconds after each attempt (see
     * {@code DefaultEndpoint.unreachable}).
     */
    private Connection open() throws IOException {
        Socket socket = proxy.type() == Proxy.Type.SOCKS ? new Socket(proxy) : SocketChannel.open().socket();
        try {
            InetSocketAddress address = proxy.type() == Proxy.Type.HTTP
                ? (InetSocketAddress) proxy.address() : new InetSocketAddress(host, port);
            socket.connect(address, connectTimeoutMillis);
            socket.setSoTimeout(readTimeoutMillis);
            socket.setTcpNoDelay(true);
            if (!https) {
                return new Connection(socket);
            }
            if (proxy.type() == Proxy.Type.HTTP) {
                tunnel(new Connection(socket));
            }
            SSLSocket tls = (SSLSocket) tls().getSocketFactory().createSocket(socket, host, port, true);
            SSLParameters parameters = tls.getSSLParameters();
            parameters.setEndpointIdentificationAlgorithm("HTTPS");
            tls.setSSLParameters(parameters);
            tls.startHandshake();
            return new Connection(tls);
        } catch (IOException | RuntimeException e) {
            socket.close();
            throw e;
        }
    }

    private void tunnel(Connection toProxy) throws IOException {
        OutputStream out = toProxy.socket.getOutputStream();
        out.write(OtlpHttpSender.ascii("CONNECT " + hostHeader() + " HTTP/1.1\r\nHost: " + hostHeader() + "\r\n\r\n"));
        out.flush();
        String status = toProxy.readLine();
        toProxy.skipHeaders();
        int code = Response.statusCode(status);
        if (code < 200 || code >= 300) {
            throw new IOException("proxy refused CONNECT: " + status);
        }
    }

    private synchronized SSLContext tls() throws IOException {
        if (configuredTls != null) {
            return configuredTls;
        }
        if (ownTls == null) {
            try {
                SSLContext context = SSLContext.getInstance("TLS");
                context.init(null, null, null);
                ownTls = context;
            } catch (GeneralSecurityException e) {
                throw new IOException("no TLS context: " + e.getMessage(), e);
            }
        }
        return ownTls;
    }

    void close() {
        Connection c = takeIdle();
        if (c != null) {
            c.close();
        }
    }

    /** One socket and what was read from it. */
    private static final class Connection {
        final Socket socket;
        final InputStream in;
        /** Whether the current exchange got any reply byte: only before that is a retry on a new connection safe. */
        boolean responseStarted;

        Connection(Socket socket) throws IOException {
            this.socket = socket;
            this.in = new BufferedInputStream(socket.getInputStream());
        }

        Response readResponse(long maxBody) throws IOException {
            String status;
            do {
                status = readLine();
                responseStarted = true;
                // an interim 1xx reply (100 Continue, 103) is followed by the real one
            } while (Response.statusCode(status) / 100 == 1 && skipHeaders() >= 0);
            int code = Response.statusCode(status);
            long contentLength = -1;
            boolean chunked = false;
            boolean close = status.startsWith("HTTP/1.0");
            for (int lines = 0; ; lines++) {
                String line = readLine();
                if (line.isEmpty()) {
                    break;
                }
                if (lines > MAX_HEADER_LINES) {
                    throw new IOException("too many response header lines");
                }
                int colon = line.indexOf(':');
                if (colon <= 0) {
                    continue;
                }
                String name = line.substring(0, colon).trim().toLowerCase(Locale.ROOT);
                String value = line.substring(colon + 1).trim().toLowerCase(Locale.ROOT);
                if ("content-length".equals(name)) {
                    contentLength = Long.parseLong(value);
                } else if ("transfer-encoding".equals(name)) {
                    chunked = value.contains("chunked");
                } else if ("connection".equals(name)) {
                    close = value.contains("close") || (close && !value.contains("keep-alive"));
                }
            }
            ByteArrayOutputStream body = new ByteArrayOutputStream();
            if (chunked) {
                for (long size = chunkSize(); size > 0; size = chunkSize()) {
                    copy(size, body, maxBody);
                    readLine();
                }
                skipHeaders();
            } else if (contentLength >= 0) {
                copy(contentLength, body, maxBody);
            } else if (code != 204 && code != 304) {
                copy(Long.MAX_VALUE, body, maxBody);
                close = true;
            }
            String message = status.length() > 13 ? status.substring(13) : "";
            return new Response(code, message, body.toByteArray(), !close);
        }

        private long chunkSize() throws IOException {
            String line = readLine();
            int semicolon = line.indexOf(';');
            try {
                return Long.parseLong((semicolon < 0 ? line : line.substring(0, semicolon)).trim(), 16);
            } catch (NumberFormatException e) {
                throw new IOException("bad chunk size line from the collector");
            }
        }

        /** Reads {@code length} bytes (all of a body to EOF when {@code Long.MAX_VALUE}), keeping at most max. */
        private void copy(long length, ByteArrayOutputStream body, long max) throws IOException {
            byte[] buffer = new byte[8192];
            long left = length;
            while (left > 0) {
                int n = in.read(buffer, 0, (int) Math.min(buffer.length, left));
                if (n < 0) {
                    if (length == Long.MAX_VALUE) {
                        return;
                    }
                    throw new EOFException("the collector closed the connection in the middle of a response");
                }
                int keep = (int) Math.max(0, Math.min(n, max - body.size()));
                body.write(buffer, 0, keep);
                left -= n;
            }
        }

        /** @return the number of header lines skipped */
        int skipHeaders() throws IOException {
            int lines = 0;
            while (!readLine().isEmpty()) {
                if (++lines > MAX_HEADER_LINES) {
                    throw new IOException("too many header lines");
                }
            }
            return lines;
        }

        String readLine() throws IOException {
            StringBuilder line = new StringBuilder();
            for (int b = in.read(); b != '\n'; b = in.read()) {
                if (b < 0) {
                    throw new EOFException("the collector closed the connection");
                }
                if (line.length() >= MAX_HEADER_LINE) {
                    throw new IOException("response line longer than " + MAX_HEADER_LINE + " bytes");
                }
                if (b != '\r') {
                    line.append((char) b);
                }
            }
            return line.toString();
        }

        void close() {
            try {
                socket.close();
            } catch (IOException ignored) {
                // nothing left to release
            }
        }
    }

    private static final class Response implements HttpResponse {
        final int code;
        final String message;
        final byte[] body;
        final boolean keepAlive;

        Response(int code, String message, byte[] body, boolean keepAlive) {
            this.code = code;
            this.message = message;
            this.body = body;
            this.keepAlive = keepAlive;
        }

        static int statusCode(String statusLine) throws IOException {
            // HTTP/1.1 200 OK
            if (statusLine.length() < 12 || !statusLine.startsWith("HTTP/")) {
                throw new IOException("not an HTTP response from the collector");
            }
            try {
                return Integer.parseInt(statusLine.substring(9, 12));
            } catch (NumberFormatException e) {
                throw new IOException("not an HTTP status line from the collector");
            }
        }

        @Override
        public int getStatusCode() {
            return code;
        }

        @Override
        public String getStatusMessage() {
            return message;
        }

        @Override
        public byte[] getResponseBody() {
            return body;
        }
    }
}
