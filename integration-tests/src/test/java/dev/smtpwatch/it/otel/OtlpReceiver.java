package dev.smtpwatch.it.otel;

import com.google.protobuf.ByteString;
import com.sun.net.httpserver.HttpExchange;
import com.sun.net.httpserver.HttpServer;
import com.sun.net.httpserver.HttpsConfigurator;
import com.sun.net.httpserver.HttpsServer;
import dev.smtpwatch.it.ItSupport;
import io.opentelemetry.proto.collector.logs.v1.ExportLogsServiceResponse;
import io.opentelemetry.proto.collector.metrics.v1.ExportMetricsServiceRequest;
import io.opentelemetry.proto.collector.metrics.v1.ExportMetricsServiceResponse;
import io.opentelemetry.proto.collector.trace.v1.ExportTraceServiceRequest;
import io.opentelemetry.proto.collector.trace.v1.ExportTraceServiceResponse;
import io.opentelemetry.proto.common.v1.AnyValue;
import io.opentelemetry.proto.common.v1.KeyValue;
import io.opentelemetry.proto.metrics.v1.Metric;
import io.opentelemetry.proto.metrics.v1.ResourceMetrics;
import io.opentelemetry.proto.metrics.v1.ScopeMetrics;
import io.opentelemetry.proto.trace.v1.ResourceSpans;
import io.opentelemetry.proto.trace.v1.ScopeSpans;
import io.opentelemetry.proto.trace.v1.Span;
import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.io.InputStream;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;
import java.util.function.Predicate;
import java.util.zip.GZIPInputStream;
import javax.net.ssl.SSLContext;

/**
 * A real OTLP/HTTP receiver on 127.0.0.1: {@code /v1/traces}, {@code /v1/metrics} and {@code /v1/logs}, decoding
 * the protobuf wire format (gzip or not) with the official opentelemetry-proto classes. Keeps what it received.
 */
public final class OtlpReceiver implements AutoCloseable {
    /** A received span with the scope and resource it came with. */
    public record ReceivedSpan(Span span, String scope, Map<String, Object> resource) {
        public String name() {
            return span.getName();
        }

        public String traceId() {
            return hex(span.getTraceId());
        }

        public String spanId() {
            return hex(span.getSpanId());
        }

        public String parentSpanId() {
            return hex(span.getParentSpanId());
        }

        public Map<String, Object> attributes() {
            return OtlpReceiver.attributes(span.getAttributesList());
        }
    }

    /** A received metric with its scope. */
    record ReceivedMetric(Metric metric, String scope, Map<String, Object> resource) {
    }

    private final HttpServer server;
    private final List<ReceivedSpan> spans = new ArrayList<>();
    private final List<ReceivedMetric> metrics = new ArrayList<>();
    private final Set<Integer> clientPorts = new TreeSet<>();
    private int requests;

    public OtlpReceiver() throws IOException {
        this(0);
    }

    /** On {@code port} of 127.0.0.1: a collector that comes up where an app has been exporting to in vain. */
    public OtlpReceiver(int port) throws IOException {
        this(HttpServer.create(new InetSocketAddress(InetAddress.getByName("127.0.0.1"), port), 0));
    }

    /** The same over TLS with {@code tls}'s certificate: {@link #endpoint()} is then {@code https://localhost:…}. */
    public static OtlpReceiver https(SSLContext tls) throws IOException {
        HttpsServer server = HttpsServer.create(new InetSocketAddress(InetAddress.getByName("127.0.0.1"), 0), 0);
        server.setHttpsConfigurator(new HttpsConfigurator(tls));
        return new OtlpReceiver(server);
    }

    private OtlpReceiver(HttpServer server) {
        this.server = server;
        server.createContext("/v1/traces", this::traces);
        server.createContext("/v1/metrics", this::metrics);
        server.createContext("/v1/logs", exchange -> {
            body(exchange);
            respond(exchange, ExportLogsServiceResponse.getDefaultInstance().toByteArray());
        });
        server.start();
    }

    /** {@code http://127.0.0.1:<port>}, for OTEL_EXPORTER_OTLP_ENDPOINT. */
    public String endpoint() {
        return server instanceof HttpsServer ? "https://localhost:" + server.getAddress().getPort()
                : "http://127.0.0.1:" + server.getAddress().getPort();
    }

    private void traces(HttpExchange exchange) throws IOException {
        ExportTraceServiceRequest request = ExportTraceServiceRequest.parseFrom(body(exchange));
        synchronized (this) {
            for (ResourceSpans rs : request.getResourceSpansList()) {
                Map<String, Object> resource = attributes(rs.getResource().getAttributesList());
                for (ScopeSpans ss : rs.getScopeSpansList()) {
                    for (Span span : ss.getSpansList()) {
                        spans.add(new ReceivedSpan(span, ss.getScope().getName(), resource));
                    }
                }
            }
            notifyAll();
        }
        respond(exchange, ExportTraceServiceResponse.getDefaultInstance().toByteArray());
    }

    private void metrics(HttpExchange exchange) throws IOException {
        ExportMetricsServiceRequest request = ExportMetricsServiceRequest.parseFrom(body(exchange));
        synchronized (this) {
            for (ResourceMetrics rm : request.getResourceMetricsList()) {
                Map<String, Object> resource = attributes(rm.getResource().getAttributesList());
                for (ScopeMetrics sm : rm.getScopeMetricsList()) {
                    for (Metric metric : sm.getMetricsList()) {
                        metrics.add(new ReceivedMetric(metric, sm.getScope().getName(), resource));
                    }
                }
            }
            notifyAll();
        }
        respond(exchange, ExportMetricsServiceResponse.getDefaultInstance().toByteArray());
    }

    /** The request body, unzipped; kept under {@code <workDir>/otlp} for the canary sweep. */
    private byte[] body(HttpExchange exchange) throws IOException {
        synchronized (this) {
            clientPorts.add(exchange.getRemoteAddress().getPort());
            requests++;
        }
        byte[] body;
        try (InputStream in = exchange.getRequestBody()) {
            byte[] raw = in.readAllBytes();
            if ("gzip".equalsIgnoreCase(exchange.getRequestHeaders().getFirst("Content-Encoding"))) {
                try (InputStream unzipped = new GZIPInputStream(new ByteArrayInputStream(raw))) {
                    body = unzipped.readAllBytes();
                }
            } else {
                body = raw;
            }
        }
        Path kept = Files.createDirectories(ItSupport.workDir().resolve("otlp"));
        Files.write(kept.resolve(System.nanoTime() + "-" + exchange.getRequestURI().getPath().replace('/', '_')
                + ".pb"), body);
        return body;
    }

    /** Requests received so far. */
    public synchronized int requests() {
        return requests;
    }

    /** Distinct client ports the requests came from: 1 when the sender kept its connection alive. */
    public synchronized Set<Integer> clientPorts() {
        return new TreeSet<>(clientPorts);
    }

    private static void respond(HttpExchange exchange, byte[] body) throws IOException {
        exchange.getResponseHeaders().set("Content-Type", "application/x-protobuf");
        exchange.sendResponseHeaders(200, body.length);
        exchange.getResponseBody().write(body);
        exchange.close();
    }

    public synchronized List<ReceivedSpan> spans() {
        return new ArrayList<>(spans);
    }

    synchronized List<ReceivedMetric> metrics() {
        return new ArrayList<>(metrics);
    }

    /** Waits until {@code count} received spans match, then returns every match. */
    public synchronized List<ReceivedSpan> awaitSpans(Predicate<ReceivedSpan> match, int count, Duration timeout)
            throws InterruptedException {
        long deadline = System.nanoTime() + timeout.toNanos();
        while (true) {
            List<ReceivedSpan> found = spans.stream().filter(match).toList();
            long left = deadline - System.nanoTime();
            if (found.size() >= count || left <= 0) {
                return found;
            }
            wait(Math.max(1, left / 1_000_000));
        }
    }

    /** Waits until a metric of each name arrived, then returns all received metrics of those names. */
    synchronized List<ReceivedMetric> awaitMetrics(List<String> names, Duration timeout) throws InterruptedException {
        long deadline = System.nanoTime() + timeout.toNanos();
        while (true) {
            List<ReceivedMetric> found = metrics.stream().filter(m -> names.contains(m.metric().getName())).toList();
            boolean all = names.stream().allMatch(n -> found.stream().anyMatch(m -> m.metric().getName().equals(n)));
            long left = deadline - System.nanoTime();
            if (all || left <= 0) {
                return found;
            }
            wait(Math.max(1, left / 1_000_000));
        }
    }

    static Map<String, Object> attributes(List<KeyValue> keyValues) {
        Map<String, Object> map = new LinkedHashMap<>();
        for (KeyValue kv : keyValues) {
            map.put(kv.getKey(), value(kv.getValue()));
        }
        return map;
    }

    private static Object value(AnyValue v) {
        switch (v.getValueCase()) {
            case STRING_VALUE:
                return v.getStringValue();
            case BOOL_VALUE:
                return v.getBoolValue();
            case INT_VALUE:
                return v.getIntValue();
            case DOUBLE_VALUE:
                return v.getDoubleValue();
            case ARRAY_VALUE:
                List<Object> list = new ArrayList<>();
                for (AnyValue item : v.getArrayValue().getValuesList()) {
                    list.add(value(item));
                }
                return list;
            default:
                return v.toString();
        }
    }

    static String hex(ByteString bytes) {
        StringBuilder s = new StringBuilder();
        for (byte b : bytes.toByteArray()) {
            s.append(String.format("%02x", b));
        }
        return s.toString();
    }

    @Override
    public void close() {
        server.stop(0);
    }
}
