package dev.smtpwatch.otel;

import io.opentelemetry.sdk.common.CompletableResultCode;
import io.opentelemetry.sdk.common.export.HttpResponse;
import io.opentelemetry.sdk.common.export.HttpSender;
import io.opentelemetry.sdk.common.export.HttpSenderConfig;
import io.opentelemetry.sdk.common.export.MessageWriter;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.HttpURLConnection;
import java.net.Proxy;
import java.net.URI;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.RejectedExecutionException;
import java.util.concurrent.ThreadFactory;
import java.util.concurrent.TimeUnit;
import java.util.function.Consumer;
import javax.net.ssl.HttpsURLConnection;

/**
 * OTLP over HTTP with {@link HttpURLConnection}: the embedded SDK's sender. The SDK's own senders need OkHttp (and
 * Kotlin) or the JDK 11 HttpClient; this one runs wherever the agent does, Java 8 included. One attempt per
 * export: a collector that is down costs one refused connection, never a retry loop at exit.
 */
final class UrlConnectionHttpSender implements HttpSender {
    private static final int MAX_RESPONSE_BODY = 64 * 1024;

    private final HttpSenderConfig config;
    private final ExecutorService executor;
    private final boolean ownExecutor;

    UrlConnectionHttpSender(HttpSenderConfig config) {
        this.config = config;
        this.ownExecutor = config.getExecutorService() == null;
        this.executor = ownExecutor ? Executors.newSingleThreadExecutor(new ThreadFactory() {
            @Override
            public Thread newThread(Runnable r) {
                Thread t = new Thread(r, "smtpwatch-otlp-http");
                t.setDaemon(true);
                return t;
            }
        }) : config.getExecutorService();
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
        URI endpoint = config.getEndpoint();
        HttpURLConnection connection = (HttpURLConnection) (config.getProxyOptions() == null
            ? endpoint.toURL().openConnection() : endpoint.toURL().openConnection(proxyFor(endpoint)));
        try {
            if (connection instanceof HttpsURLConnection && config.getSslContext() != null) {
                ((HttpsURLConnection) connection).setSSLSocketFactory(config.getSslContext().getSocketFactory());
            }
            connection.setConnectTimeout(millis(config.getConnectTimeout().toMillis()));
            connection.setReadTimeout(millis(config.getTimeout().toMillis()));
            connection.setRequestMethod("POST");
            connection.setDoOutput(true);
            connection.setRequestProperty("Content-Type", config.getContentType());
            for (Map.Entry<String, List<String>> header : config.getHeadersSupplier().get().entrySet()) {
                for (String value : header.getValue()) {
                    connection.addRequestProperty(header.getKey(), value);
                }
            }
            if (config.getCompressor() != null) {
                connection.setRequestProperty("Content-Encoding", config.getCompressor().getEncoding());
            } else if (message.getContentLength() >= 0) {
                connection.setFixedLengthStreamingMode(message.getContentLength());
            }
            OutputStream body = connection.getOutputStream();
            try {
                OutputStream out = config.getCompressor() != null ? config.getCompressor().compress(body) : body;
                message.writeMessage(out);
                out.close();
            } finally {
                body.close();
            }
            final int status = connection.getResponseCode();
            final String statusMessage = connection.getResponseMessage();
            final byte[] responseBody = read(status >= 400 ? connection.getErrorStream() : connection.getInputStream());
            return new HttpResponse() {
                @Override
                public int getStatusCode() {
                    return status;
                }

                @Override
                public String getStatusMessage() {
                    return statusMessage == null ? "" : statusMessage;
                }

                @Override
                public byte[] getResponseBody() {
                    return responseBody;
                }
            };
        } finally {
            connection.disconnect();
        }
    }

    private Proxy proxyFor(URI endpoint) {
        List<Proxy> proxies = config.getProxyOptions().getProxySelector().select(endpoint);
        return proxies.isEmpty() ? Proxy.NO_PROXY : proxies.get(0);
    }

    private static int millis(long value) {
        return (int) Math.min(Integer.MAX_VALUE, Math.max(0, value));
    }

    private static byte[] read(InputStream in) throws IOException {
        if (in == null) {
            return new byte[0];
        }
        try {
            ByteArrayOutputStream out = new ByteArrayOutputStream();
            byte[] buffer = new byte[8192];
            for (int n = in.read(buffer); n >= 0 && out.size() < MAX_RESPONSE_BODY; n = in.read(buffer)) {
                out.write(buffer, 0, n);
            }
            return out.toByteArray();
        } finally {
            in.close();
        }
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
        return CompletableResultCode.ofSuccess();
    }
}
