package dev.smtpwatch.it.otel;

import static dev.smtpwatch.it.otel.OtelSupport.SCOPE;
import static dev.smtpwatch.it.otel.OtelSupport.TLS_AUTH_ATTRIBUTES;
import static dev.smtpwatch.it.otel.OtelSupport.javaagentExportingTo;
import static dev.smtpwatch.it.otel.OtelSupport.smtpSpan;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import dev.smtpwatch.it.ItSupport;
import dev.smtpwatch.it.Report;
import dev.smtpwatch.it.postfix.PostfixServer;
import dev.smtpwatch.it.postfix.PostfixServer.Listener;
import io.opentelemetry.proto.metrics.v1.Metric;
import io.opentelemetry.proto.metrics.v1.NumberDataPoint;
import io.opentelemetry.proto.trace.v1.Span;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;
import java.util.stream.Stream;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;
import org.junit.jupiter.params.provider.ValueSource;

/**
 * smtpwatch as an extension of the OpenTelemetry Java agent ({@code -Dotel.javaagent.extensions=…}, no smtpwatch
 * {@code -javaagent}): the app (sample-apps/otel-app) sends one mail through the real Postfix (STARTTLS, AUTH with
 * the canary password) inside its own span {@code checkout}; the SMTP span, its finding events and smtpwatch's
 * metrics arrive at the real OTLP receiver through that agent's exporter and resource, as a child of
 * {@code checkout}. Under the pinned Java agent and under the release whose extension API the extension is built
 * against. javax.mail under Spring's JavaMailSender too. With the standalone agent attached as well, in either
 * order, one of the two records.
 */
@PostfixServer.Required
class OtelExtensionTest {
    private static final Duration WAIT = Duration.ofSeconds(20);

    private PostfixServer postfix;
    private OtlpReceiver receiver;
    /** Where Postfix's log stood before the run: the connections it saw since are the run's. */
    private long maillogMark;
    private Path report;

    @BeforeEach
    void start(@TempDir Path dir) throws Exception {
        postfix = PostfixServer.shared();
        receiver = new OtlpReceiver();
        maillogMark = postfix.maillogMark();
        report = dir.resolve("report.jsonl");
    }

    @AfterEach
    void stop() {
        receiver.close();
    }

    static Stream<Arguments> javaagents() {
        return Stream.of(
                Arguments.of(System.getProperty("smtpwatch.it.otelJavaagentVersion", "pinned"),
                        OtelRun.jar("smtpwatch.it.otelJavaagent", "target/otel/opentelemetry-javaagent.jar")),
                Arguments.of(System.getProperty("smtpwatch.it.otelJavaagentApiReleaseVersion", "2.31.1"),
                        OtelRun.jar("smtpwatch.it.otelJavaagentApiRelease",
                                "target/otel/opentelemetry-javaagent-2.31.1.jar")));
    }

    /** The app sending inside its span, through Postfix's submission listener; no mail timeouts set. */
    private OtelRun checkout(Path javaagent) {
        return submission(javaagentExportingTo(OtelRun.otelApp(), receiver)
                .withOtelJavaagent(javaagent)
                .property("otelapp.mode", "global")
                // The Java agent flushes its SDK in its own shutdown hook (see TraceLinkageTest).
                .property("otelapp.lingerMs", 1500));
    }

    /** STARTTLS required and AUTH with the canary password, on Postfix's submission listener. */
    private OtelRun submission(OtelRun run) {
        return run.property("mail.smtp.host", "localhost")
                .property("mail.smtp.port", postfix.port(Listener.SUBMISSION))
                .property("mail.smtp.auth", "true")
                .property("mail.smtp.starttls.enable", "true")
                .property("mail.smtp.starttls.required", "true")
                .property("javax.net.ssl.trustStore", postfix.trustStore())
                .property("javax.net.ssl.trustStorePassword", postfix.trustStorePassword())
                .property("javax.net.ssl.trustStoreType", "PKCS12")
                .property("sample.user", postfix.user())
                .property("sample.password", postfix.password());
    }

    @ParameterizedTest(name = "OpenTelemetry Java agent {0}")
    @MethodSource("javaagents")
    void sessionIsOneSpanUnderTheAppsSpanThroughTheJavaagentsPipeline(String version, Path javaagent)
            throws Exception {
        OtelRun.Result run = checkout(javaagent).asOtelExtension()
                .property("otel.instrumentation.smtpwatch.report", report)
                .env("OTEL_INSTRUMENTATION_SMTPWATCH_LOG", "info")
                .run();

        assertEquals(0, run.exitCode(), run::describe);
        if (!"pinned".equals(version)) {
            assertTrue(run.stderr().contains("opentelemetry-javaagent - version: " + version), run::describe);
        }
        assertEquals(1, postfix.awaitConnections(Listener.SUBMISSION, maillogMark, 1, WAIT).size());
        JsonNode line = Report.single(report);
        assertEquals(ItSupport.STARTTLS_AUTH, ItSupport.field(line.get("commands"), "verb"));
        assertTrue(ids(line).contains("timeouts-unset"), () -> "findings " + line);
        assertEquals(1, run.stderrLines("INFO smtpwatch session ").size(), "log=info from OTEL_INSTRUMENTATION_…");
        assertTrue(run.stderr().lines().filter(l -> l.contains("VM warning")).count() <= 1,
                () -> "the Java agent's own class data sharing warning at most; none of smtpwatch's\n"
                        + run.describe());
        assertEquals(ids(line).size(), run.stderrLines("WARN smtpwatch [").size(), run::describe);

        OtlpReceiver.ReceivedSpan checkout = onlySpan(s -> s.name().equals("checkout"), run);
        assertEquals(run.printed("trace"), checkout.traceId());
        OtlpReceiver.ReceivedSpan span = onlySmtpSpan(run);
        assertEquals(Span.SpanKind.SPAN_KIND_CLIENT, span.span().getKind());
        assertEquals(checkout.traceId(), span.traceId(), "one trace");
        assertEquals(checkout.spanId(), span.parentSpanId(), "the app's span is the parent");
        assertEquals("javaagent-app", span.resource().get("service.name"), "the Java agent's resource");
        assertEquals("SMTP localhost", span.name());

        Map<String, Object> a = span.attributes();
        // The Java agent adds the starting thread's details to every span (otel.javaagent.add-thread-details): here
        // smtpwatch's export thread, where the span is built after the session ended.
        assertEquals("smtpwatch-export", a.get("thread.name"));
        Set<String> ours = new TreeSet<>(a.keySet());
        ours.removeAll(List.of("thread.id", "thread.name"));
        assertEquals(new TreeSet<>(TLS_AUTH_ATTRIBUTES), ours, () -> "attributes " + a);
        assertEquals("localhost", a.get("server.address"));
        assertEquals((long) postfix.port(Listener.SUBMISSION), a.get("server.port"));
        assertEquals("smtp", a.get("network.protocol.name"));
        assertEquals(true, a.get("tls.established"));
        assertEquals(line.at("/tls/protocol").asText().replace("TLSv", ""), a.get("tls.protocol.version"));
        assertEquals("starttls", a.get("smtp.tls.mode"));
        assertEquals(true, a.get("smtp.starttls.required"));
        assertEquals(true, a.get("smtp.auth.tls"));
        assertEquals(ItSupport.STARTTLS_AUTH, a.get("smtp.commands"));
        assertEquals(ids(line), a.get("smtp.findings"));
        assertEquals(1L, a.get("smtp.messages"));
        // One smtp.finding event per finding of the report line, in its words.
        List<Map<String, Object>> events = new ArrayList<>();
        for (Span.Event event : span.span().getEventsList()) {
            assertEquals("smtp.finding", event.getName());
            events.add(OtlpReceiver.attributes(event.getAttributesList()));
        }
        assertEquals(ids(line), events.stream().map(e -> e.get("smtp.finding.id")).toList());
        assertEquals(line.at("/findings/0/message").asText(), events.get(0).get("smtp.finding.message"));
        assertEquals(line.at("/findings/0/severity").asText(), events.get(0).get("smtp.finding.severity"));
        String everything = span.span().toString();
        for (String address : List.of(OtelSupport.FROM, OtelSupport.TO)) {
            assertFalse(everything.contains(address), () -> address + " in the span: " + everything);
        }
        assertNoCanary(run, span);

        List<OtlpReceiver.ReceivedMetric> metrics = receiver.awaitMetrics(
                List.of("smtp.client.sessions", "smtp.client.findings"), WAIT).stream()
                .filter(m -> SCOPE.equals(m.scope())).toList();
        for (OtlpReceiver.ReceivedMetric m : metrics) {
            assertEquals("javaagent-app", m.resource().get("service.name"), "the Java agent's meter provider");
        }
        NumberDataPoint sessions = named(metrics, "smtp.client.sessions").getSum().getDataPoints(0);
        assertEquals(1, sessions.getAsInt());
        assertEquals(Map.of("smtp.tls.mode", "starttls", "outcome", "sent", "server.address", "localhost",
                "server.port", (long) postfix.port(Listener.SUBMISSION)),
                OtlpReceiver.attributes(sessions.getAttributesList()));
        Set<Object> counted = new HashSet<>();
        for (NumberDataPoint p : named(metrics, "smtp.client.findings").getSum().getDataPointsList()) {
            counted.add(OtlpReceiver.attributes(p.getAttributesList()).get("smtp.finding.id"));
        }
        assertEquals(new HashSet<>(ids(line)), counted);
    }

    @ParameterizedTest(name = "standalone agent first: {0}")
    @ValueSource(booleans = {false, true})
    void withTheStandaloneAgentAsWellOneRecordsAndTheOtherSaysSoOnce(boolean standaloneFirst) throws Exception {
        OtelRun.Result run = checkout(OtelRun.jar("smtpwatch.it.otelJavaagent",
                "target/otel/opentelemetry-javaagent.jar"))
                .asOtelExtensionAndStandaloneAgent(standaloneFirst)
                .agentArgs("report=" + report)
                .property("otel.instrumentation.smtpwatch.report", report)
                .run();

        assertEquals(0, run.exitCode(), run::describe);
        assertEquals(1, postfix.awaitConnections(Listener.SUBMISSION, maillogMark, 1, WAIT).size());
        assertEquals(1, Report.read(report).size(), "one report line for one connection");
        List<String> idle = run.stderr().lines().filter(l -> l.contains("stays idle")).toList();
        assertEquals(1, idle.size(), run::describe);
        String recorder = standaloneFirst ? "smtpwatch-agent.jar (-javaagent) already records"
                : "the smtpwatch extension of the OpenTelemetry Java agent (otel.javaagent.extensions) already records";
        assertTrue(idle.get(0).startsWith("WARN smtpwatch " + recorder), idle.get(0));

        OtlpReceiver.ReceivedSpan checkout = onlySpan(s -> s.name().equals("checkout"), run);
        OtlpReceiver.ReceivedSpan span = onlySmtpSpan(run);
        assertEquals(checkout.spanId(), span.parentSpanId(), "the app's span is the parent");
        assertEquals(ids(Report.single(report)).size(), run.stderrLines("WARN smtpwatch [").size(),
                "each finding logged once");
        assertNoCanary(run, span);
    }

    /**
     * javax.mail's {@code com.sun.mail.smtp.SMTPTransport}, which the Java agent ignores unless told (every
     * {@code com.sun.*} class), under Spring's JavaMailSenderImpl: each send an INTERNAL span, its connection's span
     * below it, in an app without OpenTelemetry classes of its own.
     */
    @Test
    void javaxMailUnderSpringJavaMailSender() throws Exception {
        OtelRun.Result run = submission(javaagentExportingTo(OtelRun.spring5App(), receiver))
                .asOtelExtension()
                .lingering(1500)
                .property("otel.instrumentation.smtpwatch.report", report)
                .run();

        assertEquals(0, run.exitCode(), run::describe);
        assertEquals(2, postfix.awaitConnections(Listener.SUBMISSION, maillogMark, 2, WAIT).size());
        List<JsonNode> lines = Report.read(report);
        assertEquals(2, lines.size(), "one report line per connection Postfix saw");
        for (JsonNode line : lines) {
            assertEquals("javax.mail", line.at("/library/name").asText());
            assertEquals("spring.JavaMailSender.send", line.get("entry").asText());
        }
        List<OtlpReceiver.ReceivedSpan> sends = receiver.awaitSpans(s -> s.name().equals("JavaMailSender.send"), 2,
                WAIT);
        List<OtlpReceiver.ReceivedSpan> smtp = receiver.awaitSpans(smtpSpan(), 2, WAIT);
        assertEquals(2, sends.size(), () -> "spans received: " + receiver.spans());
        assertEquals(2, smtp.size(), () -> "spans received: " + receiver.spans());
        for (OtlpReceiver.ReceivedSpan session : smtp) {
            assertTrue(sends.stream().anyMatch(send -> send.spanId().equals(session.parentSpanId())
                    && send.traceId().equals(session.traceId())), () -> "no JavaMailSender.send parent: " + session);
            assertEquals(ItSupport.STARTTLS_AUTH, session.attributes().get("smtp.commands"));
            assertNoCanary(run, session);
        }
    }

    private OtlpReceiver.ReceivedSpan onlySpan(java.util.function.Predicate<OtlpReceiver.ReceivedSpan> match,
            OtelRun.Result run) throws InterruptedException {
        List<OtlpReceiver.ReceivedSpan> spans = receiver.awaitSpans(match, 1, WAIT);
        assertEquals(1, spans.size(), () -> "spans received: " + receiver.spans() + "\n" + run.describe());
        return spans.get(0);
    }

    /** The SMTP span, and no second copy: the app has exited, the Java agent flushed everything it had. */
    private OtlpReceiver.ReceivedSpan onlySmtpSpan(OtelRun.Result run) throws InterruptedException {
        OtlpReceiver.ReceivedSpan span = onlySpan(smtpSpan(), run);
        assertEquals(1, receiver.spans().stream().filter(s -> s.name().startsWith("SMTP")).count(),
                () -> "spans received: " + receiver.spans());
        return span;
    }

    private static List<String> ids(JsonNode line) {
        List<String> ids = new ArrayList<>();
        line.path("findings").forEach(f -> ids.add(f.path("id").asText()));
        return ids;
    }

    /** The last export of the metric named so. */
    private static Metric named(List<OtlpReceiver.ReceivedMetric> metrics, String name) {
        return metrics.stream().map(OtlpReceiver.ReceivedMetric::metric).filter(m -> m.getName().equals(name))
                .reduce((first, last) -> last).orElseThrow(() -> new AssertionError("no " + name + " in " + metrics));
    }

    private void assertNoCanary(OtelRun.Result run, OtlpReceiver.ReceivedSpan span) {
        String canary = postfix.password();
        assertFalse(run.stdout().contains(canary) || run.stderr().contains(canary), "the password in the output");
        assertFalse(Report.text(report).contains(canary), "the password in the report");
        assertFalse(span.span().toString().contains(canary), "the password in the span");
    }
}
