package dev.smtpwatch.sample.otelapp;

import dev.smtpwatch.sample.SampleSettings;
import io.opentelemetry.api.GlobalOpenTelemetry;
import io.opentelemetry.api.OpenTelemetry;
import io.opentelemetry.api.trace.Span;
import io.opentelemetry.api.trace.Tracer;
import io.opentelemetry.context.Scope;
import io.opentelemetry.exporter.otlp.http.metrics.OtlpHttpMetricExporter;
import io.opentelemetry.exporter.otlp.http.trace.OtlpHttpSpanExporter;
import io.opentelemetry.sdk.OpenTelemetrySdk;
import io.opentelemetry.sdk.common.CompletableResultCode;
import io.opentelemetry.sdk.metrics.SdkMeterProvider;
import io.opentelemetry.sdk.metrics.export.PeriodicMetricReader;
import io.opentelemetry.sdk.resources.Resource;
import io.opentelemetry.sdk.trace.SdkTracerProvider;
import io.opentelemetry.sdk.trace.data.SpanData;
import io.opentelemetry.sdk.trace.export.BatchSpanProcessor;
import io.opentelemetry.sdk.trace.export.SimpleSpanProcessor;
import io.opentelemetry.sdk.trace.export.SpanExporter;
import jakarta.mail.Message;
import jakarta.mail.MessagingException;
import jakarta.mail.Session;
import jakarta.mail.Transport;
import jakarta.mail.internet.InternetAddress;
import jakarta.mail.internet.MimeMessage;
import java.time.Duration;
import java.util.Collection;

/**
 * An app that already uses OpenTelemetry: it sends one mail inside its own span {@code checkout} and prints
 * {@code otel-app: trace=<id> span=<id>}. {@code -Dotelapp.sdk=on} builds its own SDK exporting OTLP/HTTP to
 * {@code otelapp.endpoint} (e.g. {@code http://127.0.0.1:4318}) and registers it as global; otherwise it uses
 * whatever {@code GlobalOpenTelemetry} gives (the OpenTelemetry Java agent's, when it runs).
 * {@code -Dotelapp.mode=printing} registers an SDK of its own whose exporter prints each span on stdout, named by
 * the first argument (a webapp's own setting, for several of them in one JVM):
 * {@code otel-app: exported by=<name> span=<name> scope=<scope> trace=<id> id=<id> parent=<id>}. It starts no
 * thread and no HTTP client, so nothing of it outlives the app: a webapp that can be undeployed cleanly.
 */
public final class Checkout {
    private Checkout() {
    }

    public static void main(String[] args) throws InterruptedException {
        SampleSettings settings = new SampleSettings(System.getProperties());
        String mode = System.getProperty("otelapp.mode", "global");
        int sends = Integer.getInteger("otelapp.sends", 1);
        if ("none".equals(mode)) {
            // Touches no OpenTelemetry class: the app merely has the API on its class path.
            System.exit(sendAll(settings, sends) ? 0 : 1);
        }
        OpenTelemetrySdk sdk = "sdk".equals(mode)
            ? ownSdk(System.getProperty("otelapp.endpoint", "http://127.0.0.1:4318"))
            : "printing".equals(mode) ? printingSdk(args.length > 0 ? args[0] : "otel-app") : null;
        OpenTelemetry otel = sdk != null ? sdk : GlobalOpenTelemetry.get();
        Tracer tracer = otel.getTracer("otel-app");
        Span checkout = tracer.spanBuilder("checkout").startSpan();
        boolean sent;
        try (Scope ignored = checkout.makeCurrent()) {
            sent = sendAll(settings, sends);
        } finally {
            checkout.end();
        }
        System.out.println("otel-app: trace=" + checkout.getSpanContext().getTraceId() + " span="
            + checkout.getSpanContext().getSpanId());
        // smtpwatch reports the session from its own thread just after the connection closed.
        long linger = Long.getLong("otelapp.lingerMs", sdk != null ? 1000 : 0);
        if (linger > 0) {
            Thread.sleep(linger);
        }
        if (sdk != null) {
            sdk.close();
        }
        if (!sent) {
            System.exit(1);
        }
    }

    /**
     * Sends one message per connection, {@code sends} times, and prints how long each send took; before that,
     * {@code otelapp.warmupSends} unmeasured sends and a pause of {@code otelapp.pauseMs}.
     */
    private static boolean sendAll(SampleSettings settings, int sends) throws InterruptedException {
        StringBuilder micros = new StringBuilder();
        boolean all = true;
        // Unmeasured sends first (class loading, JIT, the agents' own start-up work), then a pause.
        for (int i = 0; i < Integer.getInteger("otelapp.warmupSends", 0); i++) {
            all &= sendMail(settings);
        }
        Thread.sleep(Long.getLong("otelapp.pauseMs", 0));
        for (int i = 0; i < sends; i++) {
            long start = System.nanoTime();
            all &= sendMail(settings);
            micros.append(i == 0 ? "" : ",").append((System.nanoTime() - start) / 1000);
        }
        System.out.println("otel-app: sendMicros=" + micros);
        return all;
    }

    private static OpenTelemetrySdk ownSdk(String endpoint) {
        Resource resource = Resource.getDefault().merge(Resource.builder().put("service.name", "otel-app").build());
        OpenTelemetrySdk sdk = OpenTelemetrySdk.builder()
            .setTracerProvider(SdkTracerProvider.builder().setResource(resource)
                .addSpanProcessor(BatchSpanProcessor.builder(
                    OtlpHttpSpanExporter.builder().setEndpoint(endpoint + "/v1/traces").build())
                    .setScheduleDelay(Duration.ofMillis(200)).build())
                .build())
            .setMeterProvider(SdkMeterProvider.builder().setResource(resource)
                .registerMetricReader(PeriodicMetricReader.builder(
                    OtlpHttpMetricExporter.builder().setEndpoint(endpoint + "/v1/metrics").build())
                    .setInterval(Duration.ofMillis(500)).build())
                .build())
            .build();
        GlobalOpenTelemetry.set(sdk);
        return sdk;
    }

    private static OpenTelemetrySdk printingSdk(final String name) {
        SpanExporter printing = new SpanExporter() {
            @Override
            public CompletableResultCode export(Collection<SpanData> spans) {
                for (SpanData span : spans) {
                    System.out.println("otel-app: exported by=" + name + " span=" + span.getName().replace(' ', '_')
                        + " scope=" + span.getInstrumentationScopeInfo().getName() + " trace=" + span.getTraceId()
                        + " id=" + span.getSpanId() + " parent=" + span.getParentSpanId());
                }
                return CompletableResultCode.ofSuccess();
            }

            @Override
            public CompletableResultCode flush() {
                return CompletableResultCode.ofSuccess();
            }

            @Override
            public CompletableResultCode shutdown() {
                return CompletableResultCode.ofSuccess();
            }
        };
        OpenTelemetrySdk sdk = OpenTelemetrySdk.builder()
            .setTracerProvider(SdkTracerProvider.builder().addSpanProcessor(SimpleSpanProcessor.create(printing))
                .build())
            .build();
        GlobalOpenTelemetry.set(sdk);
        return sdk;
    }

    private static boolean sendMail(SampleSettings settings) {
        Session session = Session.getInstance(settings.mailProperties());
        try (Transport transport = session.getTransport()) {
            transport.connect(settings.user(), settings.password());
            MimeMessage message = new MimeMessage(session);
            message.setFrom(new InternetAddress(settings.from()));
            for (String to : settings.recipients()) {
                message.addRecipient(Message.RecipientType.TO, new InternetAddress(to));
            }
            message.setSubject(settings.subject(0));
            message.setText(settings.body());
            message.saveChanges();
            transport.sendMessage(message, message.getAllRecipients());
            return true;
        } catch (MessagingException e) {
            SampleSettings.reportFailure(e);
            return false;
        }
    }
}
