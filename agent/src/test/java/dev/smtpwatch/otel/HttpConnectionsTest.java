package dev.smtpwatch.otel;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.opentelemetry.sdk.common.export.HttpResponse;
import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStreamReader;
import java.io.OutputStream;
import java.net.InetAddress;
import java.net.Proxy;
import java.net.ServerSocket;
import java.net.Socket;
import java.net.SocketTimeoutException;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.Locale;
import org.junit.jupiter.api.Test;

/** The OTLP sender's own HTTP/1.1: one kept-alive connection, a closed one replaced, any collector answer read. */
class HttpConnectionsTest {
    private static final String HEADERS = "Content-Type: application/x-protobuf\r\n";
    private static final byte[] BODY = "spans".getBytes(StandardCharsets.US_ASCII);

    /** A collector on a raw socket: answers each request with {@code reply}; closes after it when told to. */
    private static final class Collector implements AutoCloseable {
        final ServerSocket server = new ServerSocket(0, 50, InetAddress.getLoopbackAddress());
        final List<String> requests = Collections.synchronizedList(new ArrayList<>());
        volatile int connections;

        Collector(String reply, boolean closeAfterReply, boolean answer) throws IOException {
            Thread accept = new Thread(() -> {
                try {
                    while (true) {
                        Socket s = server.accept();
                        connections++;
                        new Thread(() -> serve(s, reply, closeAfterReply, answer)).start();
                    }
                } catch (IOException closed) {
                    // test over
                }
            });
            accept.setDaemon(true);
            accept.start();
        }

        void serve(Socket s, String reply, boolean closeAfterReply, boolean answer) {
            try (Socket socket = s) {
                BufferedReader in = new BufferedReader(new InputStreamReader(socket.getInputStream(),
                    StandardCharsets.ISO_8859_1));
                OutputStream out = socket.getOutputStream();
                for (String line = in.readLine(); line != null; line = in.readLine()) {
                    StringBuilder request = new StringBuilder(line).append('\n');
                    int length = 0;
                    for (String h = in.readLine(); h != null && !h.isEmpty(); h = in.readLine()) {
                        request.append(h).append('\n');
                        if (h.toLowerCase(Locale.ROOT).startsWith("content-length:")) {
                            length = Integer.parseInt(h.substring(15).trim());
                        }
                    }
                    char[] body = new char[length];
                    for (int read = 0; read < length; ) {
                        read += in.read(body, read, length - read);
                    }
                    requests.add(request.append(body).toString());
                    if (!answer) {
                        Thread.sleep(5_000);
                        return;
                    }
                    out.write(reply.getBytes(StandardCharsets.ISO_8859_1));
                    out.flush();
                    if (closeAfterReply) {
                        return;
                    }
                }
            } catch (IOException | InterruptedException e) {
                // the client went away
            }
        }

        HttpConnections client(int readTimeoutMillis) {
            return new HttpConnections(URI.create("http://127.0.0.1:" + server.getLocalPort() + "/v1/traces"),
                Proxy.NO_PROXY, 1000, readTimeoutMillis, null, HttpConnections.MAX_RESPONSE_BODY);
        }

        @Override
        public void close() throws IOException {
            server.close();
        }
    }

    @Test
    void threeExportsGoOverOneKeptAliveConnection() throws Exception {
        try (Collector collector = new Collector("HTTP/1.1 200 OK\r\nContent-Length: 2\r\n\r\nok", false, true)) {
            HttpConnections client = collector.client(2000);
            for (int i = 0; i < 3; i++) {
                HttpResponse response = client.post(HEADERS, BODY);
                assertEquals(200, response.getStatusCode());
                assertEquals("ok", new String(response.getResponseBody(), StandardCharsets.US_ASCII));
            }
            client.close();
            assertEquals(1, collector.connections);
            assertEquals(3, collector.requests.size());
            String first = collector.requests.get(0);
            assertTrue(first.startsWith("POST /v1/traces HTTP/1.1\nHost: 127.0.0.1:" + collector.server.getLocalPort()
                + "\n"), first);
            assertTrue(first.endsWith("Content-Length: 5\nspans"), first);
        }
    }

    @Test
    void aConnectionTheCollectorClosedIsReplacedWithoutLosingTheExport() throws Exception {
        try (Collector collector = new Collector("HTTP/1.1 200 OK\r\nContent-Length: 0\r\n\r\n", true, true)) {
            HttpConnections client = collector.client(2000);
            assertEquals(200, client.post(HEADERS, BODY).getStatusCode());
            Thread.sleep(100);
            assertEquals(200, client.post(HEADERS, BODY).getStatusCode());
            assertEquals(2, collector.connections);
            assertEquals(2, collector.requests.size());
        }
    }

    @Test
    void aChunkedErrorIsReadAsTheCollectorSentIt() throws Exception {
        String reply = "HTTP/1.1 500 Internal Server Error\r\nTransfer-Encoding: chunked\r\n\r\n"
            + "5\r\nerror\r\n0\r\n\r\n";
        try (Collector collector = new Collector(reply, false, true)) {
            HttpConnections client = collector.client(2000);
            HttpResponse response = client.post(HEADERS, BODY);
            assertEquals(500, response.getStatusCode());
            assertEquals("Internal Server Error", response.getStatusMessage());
            assertEquals("error", new String(response.getResponseBody(), StandardCharsets.US_ASCII));
            assertEquals(500, client.post(HEADERS, BODY).getStatusCode(), "the connection stays usable");
            assertEquals(1, collector.connections);
        }
    }

    @Test
    void aCollectorThatNeverAnswersCostsTheReadTimeoutOnce() throws Exception {
        try (Collector collector = new Collector("", false, false)) {
            HttpConnections client = collector.client(200);
            assertThrows(SocketTimeoutException.class, () -> client.post(HEADERS, BODY));
            assertEquals(1, collector.connections);
        }
    }
}
