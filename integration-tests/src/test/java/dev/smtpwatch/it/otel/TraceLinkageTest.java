package dev.smtpwatch.it.otel;

import static dev.smtpwatch.it.otel.OtelSupport.SCOPE;
import static dev.smtpwatch.it.otel.OtelSupport.javaagentExportingTo;
import static dev.smtpwatch.it.otel.OtelSupport.mailTo;
import static dev.smtpwatch.it.otel.OtelSupport.smtpSpan;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.smtpwatch.testserver.ScriptedSmtpServer;
import io.opentelemetry.proto.trace.v1.Span;
import java.time.Duration;
import java.util.List;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * When the app already has OpenTelemetry, the SMTP span joins the trace of the code that sent the mail: same
 * trace id, the app's span as its parent, exported through the app's own pipeline.
 */
class TraceLinkageTest {
    private static final Duration WAIT = Duration.ofSeconds(20);
    private OtlpReceiver receiver;
    private ScriptedSmtpServer server;

    @BeforeEach
    void start() throws Exception {
        receiver = new OtlpReceiver();
        server = ScriptedSmtpServer.builder().start();
    }

    @AfterEach
    void stop() throws Exception {
        server.close();
        receiver.close();
    }

    @Test
    void appWithApiUnderTheOpenTelemetryJavaagent() throws Exception {
        OtelRun.Result run = javaagentExportingTo(mailTo(OtelRun.otelApp(), server), receiver)
                .property("otelapp.mode", "global")
                // The Java agent's SDK is flushed by its own shutdown hook, which may run before smtpwatch's
                // export thread has handed it the span of a session that closed a moment before exit.
                .property("otelapp.lingerMs", 1500)
                .run();
        assertEquals(0, run.exitCode(), run::describe);
        OtlpReceiver.ReceivedSpan checkout = onlySpan(s -> s.name().equals("checkout"), run);
        assertEquals(run.printed("trace"), checkout.traceId(), "the app's own span, as the app saw it");
        assertSmtpSpanIsChildOf(checkout, run, "javaagent-app");
    }

    @Test
    void appWithoutAnyOpenTelemetryClassesWhereTheJavaagentMakesTheParentSpan() throws Exception {
        OtelRun app = OtelRun.plainApp();
        OtelRun.Result run = javaagentExportingTo(mailTo(app, server), receiver)
                .property("otel.instrumentation.methods.include", app.mainClass() + "[main]")
                // See appWithApiUnderTheOpenTelemetryJavaagent: the Java agent flushes in its own shutdown hook.
                .lingering(1500)
                .run();
        assertEquals(0, run.exitCode(), run::describe);
        assertTrue(run.stderr().contains("spans go through the OpenTelemetry Java agent"), run::describe);
        String simpleName = app.mainClass().substring(app.mainClass().lastIndexOf('.') + 1);
        OtlpReceiver.ReceivedSpan main = onlySpan(s -> s.name().equals(simpleName + ".main"), run);
        assertSmtpSpanIsChildOf(main, run, "javaagent-app");
    }

    @Test
    void appWithItsOwnSdkRegisteredAsGlobal() throws Exception {
        OtelRun.Result run = mailTo(OtelRun.otelApp(), server)
                .property("otelapp.mode", "sdk")
                .property("otelapp.endpoint", receiver.endpoint())
                .run();
        assertEquals(0, run.exitCode(), run::describe);
        assertTrue(run.stderr().contains("spans go through the app's OpenTelemetry"), run::describe);
        OtlpReceiver.ReceivedSpan checkout = onlySpan(s -> s.name().equals("checkout"), run);
        assertEquals(run.printed("trace"), checkout.traceId());
        assertEquals(run.printed("span"), checkout.spanId());
        assertSmtpSpanIsChildOf(checkout, run, "otel-app");
        // Metrics went through the app's meter provider too.
        List<OtlpReceiver.ReceivedMetric> metrics = receiver.awaitMetrics(List.of("smtp.client.sessions"), WAIT);
        assertTrue(metrics.stream().anyMatch(m -> SCOPE.equals(m.scope())
                && "otel-app".equals(m.resource().get("service.name"))), () -> "metrics " + metrics);
    }

    /**
     * {@code log=app}: the finding line carries the ids of the SMTP span, the child of the app's {@code checkout}
     * span, so the log line and the trace meet. This app has no logging library: java.util.logging, which has no
     * MDC, gets the ids at the end of the line (SLF4J and Log4j 2 get them in the MDC: AppLogLinesTest).
     */
    @Test
    void withLogAppTheFindingLineCarriesTheIdsOfTheSmtpSpan() throws Exception {
        OtelRun.Result run = mailTo(OtelRun.otelApp(), server)
                .agentArgs("log=app")
                .property("otelapp.mode", "sdk")
                .property("otelapp.endpoint", receiver.endpoint())
                .run();
        assertEquals(0, run.exitCode(), run::describe);

        List<String> stderr = run.stderr().lines().toList();
        List<String> lines = stderr.stream().filter(l -> l.startsWith("WARNING: [")).toList();
        assertFalse(lines.isEmpty(), run::describe);
        // java.util.logging's console format: the date and the source (logger smtpwatch), then the level and text
        assertTrue(stderr.get(stderr.indexOf(lines.get(0)) - 1).endsWith(" smtpwatch"), run::describe);
        assertTrue(run.stderrLines("WARN smtpwatch [").isEmpty(), run::describe);
        Matcher ids = Pattern.compile("^WARNING: \\[[a-z-]+] .* trace_id=(\\p{XDigit}{32}) span_id=(\\p{XDigit}{16})$")
                .matcher(lines.get(0));
        assertTrue(ids.matches(), lines.get(0));
        OtlpReceiver.ReceivedSpan smtp = onlySpan(smtpSpan(), run);
        assertEquals(run.printed("trace"), ids.group(1), "the app's trace");
        assertEquals(smtp.traceId(), ids.group(1));
        assertEquals(smtp.spanId(), ids.group(2), "the SMTP span");
    }

    private OtlpReceiver.ReceivedSpan onlySpan(java.util.function.Predicate<OtlpReceiver.ReceivedSpan> match,
            OtelRun.Result run) throws InterruptedException {
        List<OtlpReceiver.ReceivedSpan> spans = receiver.awaitSpans(match, 1, WAIT);
        assertEquals(1, spans.size(), () -> "spans received: " + receiver.spans() + "\n" + run.describe());
        return spans.get(0);
    }

    /** One SMTP span, a CLIENT child of {@code parent} in its trace, sent through the app's pipeline. */
    private void assertSmtpSpanIsChildOf(OtlpReceiver.ReceivedSpan parent, OtelRun.Result run, String service)
            throws InterruptedException {
        List<OtlpReceiver.ReceivedSpan> smtp = receiver.awaitSpans(smtpSpan(), 1, WAIT);
        assertEquals(1, smtp.size(), () -> "spans received: " + receiver.spans() + "\n" + run.describe());
        OtlpReceiver.ReceivedSpan span = smtp.get(0);
        assertEquals(Span.SpanKind.SPAN_KIND_CLIENT, span.span().getKind());
        assertEquals(parent.traceId(), span.traceId(), "one trace");
        assertEquals(parent.spanId(), span.parentSpanId(), "the app's span is the parent");
        assertEquals(service, span.resource().get("service.name"), "exported through the app's pipeline");
        assertTrue(span.span().getStartTimeUnixNano() >= parent.span().getStartTimeUnixNano() - 1_000_000,
                "starts within the parent (ms precision)");
        assertEquals(List.of("EHLO", "MAIL", "RCPT", "DATA", "QUIT"), span.attributes().get("smtp.commands"));
    }
}
