package dev.smtpwatch.it.otel;

import static dev.smtpwatch.it.otel.OtelSupport.PASSWORD;
import static dev.smtpwatch.it.otel.OtelSupport.SCOPE;
import static dev.smtpwatch.it.otel.OtelSupport.TLS_AUTH_ATTRIBUTES;
import static dev.smtpwatch.it.otel.OtelSupport.USER;
import static dev.smtpwatch.it.otel.OtelSupport.mailTo;
import static dev.smtpwatch.it.otel.OtelSupport.pki;
import static dev.smtpwatch.it.otel.OtelSupport.smtpSpan;
import static dev.smtpwatch.it.otel.OtelSupport.withAuth;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import dev.smtpwatch.it.Report;
import dev.smtpwatch.testserver.ScriptedSmtpServer;
import dev.smtpwatch.testserver.SessionTranscript;
import dev.smtpwatch.testserver.TestPki;
import dev.smtpwatch.testserver.TlsMode;
import io.opentelemetry.proto.metrics.v1.HistogramDataPoint;
import io.opentelemetry.proto.metrics.v1.NumberDataPoint;
import io.opentelemetry.proto.trace.v1.Span;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.TreeSet;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * An app without OpenTelemetry of its own: smtpwatch's embedded SDK, configured by OTEL_* only, exports to a real
 * OTLP receiver. The app sends one mail and exits at once; the spans and metrics must have arrived by then (the
 * assertions read what the receiver has without waiting).
 */
class EmbeddedSdkExportTest {
    @TempDir
    Path dir;
    private OtlpReceiver receiver;

    @BeforeEach
    void startReceiver() throws Exception {
        receiver = new OtlpReceiver();
    }

    @AfterEach
    void stopReceiver() {
        receiver.close();
    }

    private OtelRun plainApp(ScriptedSmtpServer server) {
        return mailTo(OtelRun.plainApp(), server)
                .agentArgs("report=" + dir.resolve("report.jsonl") + ",debug=on")
                .env("OTEL_EXPORTER_OTLP_ENDPOINT", receiver.endpoint())
                .env("OTEL_SERVICE_NAME", "mailer")
                .env("OTEL_RESOURCE_ATTRIBUTES", "deployment.environment.name=it");
    }

    @Test
    void starttlsSessionIsOneClientSpanWithEveryAttributeAndMetrics() throws Exception {
        TestPki pki = pki();
        try (ScriptedSmtpServer server = ScriptedSmtpServer.builder()
                .tls(TlsMode.STARTTLS, pki.serverContext(TestPki.Cert.LOCALHOST))
                .auth(USER, PASSWORD)
                .start()) {
            OtelRun.Result run = withAuth(plainApp(server))
                    .property("mail.smtp.starttls.enable", "true")
                    .run();
            assertEquals(0, run.exitCode(), run::describe);
            assertTrue(run.stderr().contains("DEBUG smtpwatch OpenTelemetry initialised on the first session: "
                    + "spans go through smtpwatch's embedded SDK"), run::describe);
            SessionTranscript transcript = server.awaitConnections(1, Duration.ofSeconds(10)).get(0);
            JsonNode line = Report.single(dir.resolve("report.jsonl"));

            // Received before the JVM exited: no waiting here.
            List<OtlpReceiver.ReceivedSpan> spans = receiver.spans().stream().filter(smtpSpan()).toList();
            assertEquals(1, spans.size(), () -> "SMTP spans: " + receiver.spans() + "\n" + run.describe());
            OtlpReceiver.ReceivedSpan span = spans.get(0);
            assertEquals("SMTP localhost", span.name());
            assertEquals(Span.SpanKind.SPAN_KIND_CLIENT, span.span().getKind());
            assertEquals("", span.parentSpanId(), "no parent: the app has no trace of its own");
            assertEquals("mailer", span.resource().get("service.name"), () -> "resource " + span.resource());
            assertEquals("it", span.resource().get("deployment.environment.name"));

            Map<String, Object> a = span.attributes();
            assertEquals(new TreeSet<>(TLS_AUTH_ATTRIBUTES), new TreeSet<>(a.keySet()), () -> "attributes " + a);
            assertEquals("localhost", a.get("server.address"));
            assertEquals((long) server.port(), a.get("server.port"));
            assertEquals("smtp", a.get("network.protocol.name"));
            assertEquals(true, a.get("tls.established"));
            assertEquals(line.at("/tls/protocol").asText().replace("TLSv", ""), a.get("tls.protocol.version"));
            assertEquals(line.at("/tls/cipher").asText(), a.get("tls.cipher"));
            assertEquals("starttls", a.get("smtp.tls.mode"));
            assertEquals(false, a.get("smtp.starttls.required"));
            assertEquals("PLAIN", a.get("smtp.auth.mechanism"));
            assertEquals(true, a.get("smtp.auth.tls"));
            assertEquals(List.of("EHLO", "STARTTLS", "EHLO", "AUTH", "MAIL", "RCPT", "DATA", "QUIT"),
                    a.get("smtp.commands"));
            assertEquals(transcript.verbs(), a.get("smtp.commands"), "in the order the server saw them");
            assertEquals(ids(line), a.get("smtp.findings"));
            assertEquals(1L, a.get("smtp.messages"));
            assertEquals(1L, a.get("smtp.logins"));
            assertEquals(line.at("/tls/certificate/subject").asText(), a.get("tls.server.subject"));
            assertEquals(line.at("/tls/certificate/issuer").asText(), a.get("tls.server.issuer"));
            assertEquals(line.at("/tls/certificate/notAfter").asText(), a.get("tls.server.not_after"));
            List<String> queueIds = new ArrayList<>();
            line.path("queueIds").forEach(q -> queueIds.add(q.asText()));
            assertEquals(queueIds, a.get("smtp.message.id"));
            assertEquals(1, queueIds.size());
            assertFindingEvents(span, line);
            assertEquals(Span.SpanKind.SPAN_KIND_CLIENT, span.span().getKind());
            assertFalse(span.span().getStatus().getCode().name().contains("ERROR"));
            assertNoSecretsOrAddresses(span);

            // Span timing is the session's.
            long startMillis = span.span().getStartTimeUnixNano() / 1_000_000;
            assertEquals(java.time.Instant.parse(line.path("time").asText()).toEpochMilli(), startMillis);
            assertEquals(line.path("durationMs").asLong(),
                    (span.span().getEndTimeUnixNano() - span.span().getStartTimeUnixNano()) / 1_000_000);

            // Metrics were flushed at exit too.
            List<OtlpReceiver.ReceivedMetric> metrics = receiver.metrics().stream()
                    .filter(m -> SCOPE.equals(m.scope())).toList();
            OtlpReceiver.ReceivedMetric sessions = metric(metrics, "smtp.client.sessions");
            assertTrue(sessions.metric().getSum().getIsMonotonic());
            NumberDataPoint point = sessions.metric().getSum().getDataPoints(0);
            assertEquals(1, point.getAsInt());
            assertEquals(Map.of("server.address", "localhost", "server.port", (long) server.port(),
                    "smtp.tls.mode", "starttls", "outcome", "sent"), OtlpReceiver.attributes(point.getAttributesList()));
            OtlpReceiver.ReceivedMetric duration = metric(metrics, "smtp.client.session.duration");
            assertEquals("s", duration.metric().getUnit());
            HistogramDataPoint histogram = duration.metric().getHistogram().getDataPoints(0);
            assertEquals(1, histogram.getCount());
            assertEquals(line.path("durationMs").asLong() / 1000.0, histogram.getSum(), 0.0005);
        }
    }

    @Test
    void findingsAreSpanEventsAndCountedPerIdAndSeverity() throws Exception {
        try (ScriptedSmtpServer server = ScriptedSmtpServer.builder().auth(USER, PASSWORD).start()) {
            OtelRun.Result run = withAuth(plainApp(server)).run();
            assertEquals(0, run.exitCode(), run::describe);
            JsonNode line = Report.single(dir.resolve("report.jsonl"));
            assertTrue(ids(line).contains("cleartext-auth"), () -> "findings " + line);

            OtlpReceiver.ReceivedSpan span = receiver.spans().stream().filter(smtpSpan()).findFirst()
                    .orElseThrow(() -> new AssertionError("no SMTP span\n" + run.describe()));
            Map<String, Object> a = span.attributes();
            assertEquals(false, a.get("tls.established"));
            assertEquals("none", a.get("smtp.tls.mode"));
            assertEquals(false, a.get("smtp.auth.tls"));
            assertFalse(a.containsKey("tls.protocol.version"), "no TLS, no version");
            assertEquals(ids(line), a.get("smtp.findings"));
            assertFindingEvents(span, line);
            assertNoSecretsOrAddresses(span);

            List<OtlpReceiver.ReceivedMetric> metrics = receiver.metrics().stream()
                    .filter(m -> SCOPE.equals(m.scope())).toList();
            OtlpReceiver.ReceivedMetric findings = metric(metrics, "smtp.client.findings");
            List<Map<String, Object>> points = new ArrayList<>();
            for (NumberDataPoint p : findings.metric().getSum().getDataPointsList()) {
                assertEquals(1, p.getAsInt());
                points.add(OtlpReceiver.attributes(p.getAttributesList()));
            }
            List<Map<String, Object>> expected = new ArrayList<>();
            for (JsonNode f : line.path("findings")) {
                expected.add(Map.of("server.address", "localhost", "server.port", (long) server.port(),
                        "smtp.finding.id", f.path("id").asText(), "smtp.finding.severity", f.path("severity").asText()));
            }
            assertEquals(new java.util.HashSet<>(expected), new java.util.HashSet<>(points));
        }
    }

    @Test
    void failedSessionHasStatusErrorAndErrorType() throws Exception {
        try (ScriptedSmtpServer server = ScriptedSmtpServer.builder().rejectRecipient(OtelSupport.TO).start()) {
            OtelRun.Result run = plainApp(server).run();
            assertEquals(1, run.exitCode(), run::describe);
            JsonNode line = Report.single(dir.resolve("report.jsonl"));
            assertEquals("failed", line.path("outcome").asText());

            OtlpReceiver.ReceivedSpan span = receiver.spans().stream().filter(smtpSpan()).findFirst()
                    .orElseThrow(() -> new AssertionError("no SMTP span\n" + run.describe()));
            assertEquals(io.opentelemetry.proto.trace.v1.Status.StatusCode.STATUS_CODE_ERROR,
                    span.span().getStatus().getCode());
            assertEquals(line.at("/error/type").asText(), span.attributes().get("error.type"));
            assertFalse(span.span().getStatus().getMessage().contains("550"), "no server text in the status");
            NumberDataPoint point = metric(receiver.metrics(), "smtp.client.sessions").metric().getSum()
                    .getDataPoints(0);
            assertEquals("failed", OtlpReceiver.attributes(point.getAttributesList()).get("outcome"));
        }
    }

    /**
     * {@code enforce}: a send stopped at a stripped STARTTLS is an ERROR span whose finding events say which were
     * enforced, and counts in {@code smtp.client.sessions} with {@code outcome=blocked}; no credential anywhere.
     */
    @Test
    void aBlockedSendIsAnErrorSpanWithEnforcedFindingEventsAndCountsAsBlocked() throws Exception {
        try (ScriptedSmtpServer server = ScriptedSmtpServer.builder()
                .tls(TlsMode.STARTTLS, pki().serverContext(TestPki.Cert.LOCALHOST))
                .stripStartTls()
                .auth(USER, PASSWORD)
                .start()) {
            OtelRun.Result run = withAuth(plainApp(server))
                    .agentArgs("report=" + dir.resolve("report.jsonl") + ",enforce=on,enforce.allow=none")
                    .property("mail.smtp.starttls.enable", "true")
                    .run();
            assertEquals(1, run.exitCode(), run::describe);
            JsonNode line = Report.single(dir.resolve("report.jsonl"));

            List<OtlpReceiver.ReceivedSpan> spans = receiver.spans().stream().filter(smtpSpan()).toList();
            assertEquals(1, spans.size(), () -> "SMTP spans: " + receiver.spans() + "\n" + run.describe());
            OtlpReceiver.ReceivedSpan span = spans.get(0);
            assertEquals("STATUS_CODE_ERROR", span.span().getStatus().getCode().name());
            assertEquals(line.at("/error/type").asText(), span.attributes().get("error.type"));
            assertEquals(List.of("EHLO", "AUTH"), span.attributes().get("smtp.commands"));
            assertFindingEvents(span, line);
            assertTrue(span.span().getEventsList().stream().anyMatch(e -> OtlpReceiver.attributes(
                    e.getAttributesList()).equals(Map.of("smtp.finding.id", "starttls-downgrade",
                    "smtp.finding.severity", "critical", "smtp.finding.enforced", true, "smtp.finding.message",
                    downgradeMessage(line)))), () -> "events " + span);
            assertNoSecretsOrAddresses(span);

            List<OtlpReceiver.ReceivedMetric> metrics = receiver.metrics().stream()
                    .filter(m -> SCOPE.equals(m.scope())).toList();
            NumberDataPoint point = metric(metrics, "smtp.client.sessions").metric().getSum().getDataPoints(0);
            assertEquals(Map.of("smtp.tls.mode", "none", "outcome", "blocked", "server.address", "localhost",
                    "server.port", (long) server.port()), OtlpReceiver.attributes(point.getAttributesList()));
            for (String output : List.of(run.stdout(), run.stderr(), Report.text(dir.resolve("report.jsonl")))) {
                assertFalse(output.contains(PASSWORD), output);
            }
        }
    }

    private static String downgradeMessage(JsonNode line) {
        for (JsonNode f : line.path("findings")) {
            if (f.path("id").asText().equals("starttls-downgrade")) {
                return f.path("message").asText();
            }
        }
        throw new AssertionError("no starttls-downgrade in " + line);
    }

    private static List<String> ids(JsonNode line) {
        List<String> ids = new ArrayList<>();
        line.path("findings").forEach(f -> ids.add(f.path("id").asText()));
        return ids;
    }

    /** One smtp.finding event per finding of the report line, in order, with id, severity and message. */
    private static void assertFindingEvents(OtlpReceiver.ReceivedSpan span, JsonNode line) {
        List<Map<String, Object>> events = new ArrayList<>();
        for (Span.Event e : span.span().getEventsList()) {
            assertEquals("smtp.finding", e.getName());
            events.add(OtlpReceiver.attributes(e.getAttributesList()));
        }
        List<Map<String, Object>> expected = new ArrayList<>();
        for (JsonNode f : line.path("findings")) {
            Map<String, Object> event = new java.util.HashMap<>(Map.of("smtp.finding.id", f.path("id").asText(),
                    "smtp.finding.severity", f.path("severity").asText(),
                    "smtp.finding.message", f.path("message").asText()));
            if (f.path("enforced").asBoolean()) {
                event.put("smtp.finding.enforced", true);
            }
            expected.add(event);
        }
        assertEquals(expected, events);
    }

    private static void assertNoSecretsOrAddresses(OtlpReceiver.ReceivedSpan span) {
        String all = span.span().toString();
        for (String forbidden : List.of(PASSWORD, OtelSupport.FROM, OtelSupport.TO, "smtpwatch sample message")) {
            assertFalse(all.contains(forbidden), () -> forbidden + " in the span: " + all);
        }
    }

    private static OtlpReceiver.ReceivedMetric metric(List<OtlpReceiver.ReceivedMetric> metrics, String name) {
        return metrics.stream().filter(m -> m.metric().getName().equals(name)).reduce((first, last) -> last)
                .orElseThrow(() -> new AssertionError("no metric " + name + " in " + metrics));
    }
}
