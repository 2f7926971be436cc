package dev.smtpwatch.otel;

import io.opentelemetry.sdk.common.CompletableResultCode;
import io.opentelemetry.sdk.common.export.HttpResponse;
import io.opentelemetry.sdk.common.export.HttpSender;
import io.opentelemetry.sdk.common.export.HttpSenderConfig;
import io.opentelemetry.sdk.common.export.MessageWriter;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.OutputStream;
import java.net.InetSocketAddress;
import java.net.Proxy;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.RejectedExecutionException;
import java.util.concurrent.ThreadFactory;
import java.util.concurrent.TimeUnit;
import java.util.function.Consumer;

/**
 * OTLP over HTTP/1.1 on a plain socket: the embedded SDK's sender. The SDK's own senders need OkHttp (and Kotlin)
 * or the JDK 11 HttpClient; {@code HttpURLConnection} would run on Java 8 but consults whatever the app set
 * JVM-wide — the default {@code Authenticator}, {@code HttpsURLConnection}'s default socket factory and hostname
 * verifier, a {@code URLStreamHandlerFactory}, the keep-alive cache's settings. This sender uses none of them: its
 * own TLS context (or the one the SDK configured), the JDK's endpoint identification instead of a verifier, and
 * one kept-alive connection of its own. One attempt per export (plus one on a fresh connection when a kept one
 * turned out closed): a collector that is down costs one refused connection, never a retry loop at exit.
 */
final class OtlpHttpSender implements HttpSender {
    private final HttpSenderConfig config;
    private final ExecutorService executor;
    private final boolean ownExecutor;
    private final HttpConnections connections;

    OtlpHttpSender(HttpSenderConfig config) {
        this.config = config;
        this.ownExecutor = config.getExecutorService() == null;
        this.executor = ownExecutor ? Executors.newSingleThreadExecutor(new ThreadFactory() {
            @Override
            public Thread newThread(Runnable r) {
                Thread t = new Thread(r, "smtpwatch-otlp-http");
                t.setDaemon(true);
                t.setContextClassLoader(null);
                return t;
            }
        }) : config.getExecutorService();
        URI endpoint = config.getEndpoint();
        this.connections = new HttpConnections(endpoint, proxyFor(endpoint),
            millis(config.getConnectTimeout().toMillis()), millis(config.getTimeout().toMillis()),
            config.getSslContext(), maxResponseBody(config));
    }

    @Override
    public void send(final MessageWriter message, final Consumer<HttpResponse> onResponse,
                     final Consumer<Throwable> onError) {
        try {
            executor.execute(new Runnable() {
                @Override
                public void run() {
                    try {
                        onResponse.accept(post(message));
                    } catch (IOException | RuntimeException e) {
                        onError.accept(e);
                    }
                }
            });
        } catch (RejectedExecutionException e) {
            onError.accept(e);
        }
    }

    private HttpResponse post(MessageWriter message) throws IOException {
        ByteArrayOutputStream body = new ByteArrayOutputStream(Math.max(256, message.getContentLength()));
        OutputStream out = config.getCompressor() != null ? config.getCompressor().compress(body) : body;
        message.writeMessage(out);
        out.close();
        StringBuilder headers = new StringBuilder();
        headers.append("Content-Type: ").append(config.getContentType()).append("\r\n");
        if (config.getCompressor() != null) {
            headers.append("Content-Encoding: ").append(config.getCompressor().getEncoding()).append("\r\n");
        }
        for (Map.Entry<String, List<String>> header : config.getHeadersSupplier().get().entrySet()) {
            for (String value : header.getValue()) {
                headers.append(singleLine(header.getKey())).append(": ").append(singleLine(value)).append("\r\n");
            }
        }
        return connections.post(headers.toString(), body.toByteArray());
    }

    /** A header from OTEL_EXPORTER_OTLP_HEADERS must not be able to add lines to the request. */
    private static String singleLine(String text) {
        return text.replace('\r', ' ').replace('\n', ' ');
    }

    private Proxy proxyFor(URI endpoint) {
        if (config.getProxyOptions() == null) {
            return Proxy.NO_PROXY;
        }
        List<Proxy> proxies = config.getProxyOptions().getProxySelector().select(endpoint);
        Proxy proxy = proxies.isEmpty() ? Proxy.NO_PROXY : proxies.get(0);
        return proxy.address() instanceof InetSocketAddress ? proxy : Proxy.NO_PROXY;
    }

    private static long maxResponseBody(HttpSenderConfig config) {
        long max = config.getMaxResponseBodySize();
        return max > 0 ? Math.min(max, HttpConnections.MAX_RESPONSE_BODY) : HttpConnections.MAX_RESPONSE_BODY;
    }

    private static int millis(long value) {
        return (int) Math.min(Integer.MAX_VALUE, Math.max(0, value));
    }

    @Override
    public CompletableResultCode shutdown() {
        if (ownExecutor) {
            executor.shutdown();
            try {
                executor.awaitTermination(config.getTimeout().toMillis(), TimeUnit.MILLISECONDS);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            }
        }
        connections.close();
        return CompletableResultCode.ofSuccess();
    }

    static byte[] ascii(String text) {
        return text.getBytes(StandardCharsets.ISO_8859_1);
    }
}
