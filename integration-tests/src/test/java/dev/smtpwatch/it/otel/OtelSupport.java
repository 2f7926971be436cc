package dev.smtpwatch.it.otel;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;

import com.fasterxml.jackson.databind.JsonNode;
import dev.smtpwatch.it.ItSupport;
import dev.smtpwatch.testserver.ScriptedSmtpServer;
import dev.smtpwatch.testserver.TestPki;
import io.opentelemetry.proto.trace.v1.Span;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.function.Predicate;

/** What the OpenTelemetry tests share. */
final class OtelSupport {
    static final String USER = "otel-user";
    static final String PASSWORD = "Otel-Canary-7c1e";
    static final String FROM = "sender@example.com";
    static final String TO = "recipient@example.org";
    /** smtpwatch's instrumentation scope. */
    static final String SCOPE = "smtpwatch";
    /** Span attributes SPEC "OpenTelemetry" lists for a session that used TLS and AUTH. */
    static final List<String> TLS_AUTH_ATTRIBUTES = List.of("server.address", "server.port",
            "network.protocol.name", "tls.established", "tls.protocol.version", "tls.cipher", "smtp.tls.mode",
            "smtp.starttls.required", "smtp.auth.mechanism", "smtp.auth.tls", "smtp.commands", "smtp.findings",
            "smtp.messages", "smtp.message.id", "smtp.logins", "tls.server.subject", "tls.server.issuer",
            "tls.server.not_after");

    private OtelSupport() {
    }

    static Predicate<OtlpReceiver.ReceivedSpan> smtpSpan() {
        return s -> SCOPE.equals(s.scope()) && s.name().startsWith("SMTP ");
    }

    static Path workDir() {
        return ItSupport.workDir();
    }

    static TestPki pki() {
        return ItSupport.pki();
    }

    static int freePort() {
        return ItSupport.freePort();
    }

    /** The mail settings of a run sending through the scripted server on localhost. */
    static OtelRun mailTo(OtelRun run, ScriptedSmtpServer server) {
        TestPki pki = pki();
        return run.property("mail.smtp.host", "localhost")
                .property("mail.smtp.port", server.port())
                .property("javax.net.ssl.trustStore", pki.trustStore())
                .property("javax.net.ssl.trustStorePassword", pki.trustStorePassword())
                .property("javax.net.ssl.trustStoreType", "PKCS12")
                .property("sample.from", FROM)
                .property("sample.to", TO);
    }

    static OtelRun withAuth(OtelRun run) {
        return run.property("mail.smtp.auth", "true")
                .property("mail.smtp.auth.mechanisms", "PLAIN")
                .property("sample.user", USER)
                .property("sample.password", PASSWORD);
    }

    /** The OpenTelemetry Java agent exporting OTLP/HTTP to the receiver, quickly. */
    static OtelRun javaagentExportingTo(OtelRun run, OtlpReceiver receiver) {
        return run.withOtelJavaagent()
                .property("otel.exporter.otlp.endpoint", receiver.endpoint())
                .property("otel.exporter.otlp.protocol", "http/protobuf")
                .property("otel.service.name", "javaagent-app")
                .property("otel.logs.exporter", "none")
                .property("otel.bsp.schedule.delay", "100")
                .property("otel.metric.export.interval", "500");
    }

    static List<String> ids(JsonNode line) {
        List<String> ids = new ArrayList<>();
        line.path("findings").forEach(f -> ids.add(f.path("id").asText()));
        return ids;
    }

    /** One smtp.finding event per finding of the report line, in order, with id, severity and message. */
    static void assertFindingEvents(OtlpReceiver.ReceivedSpan span, JsonNode line) {
        List<Map<String, Object>> events = new ArrayList<>();
        for (Span.Event e : span.span().getEventsList()) {
            assertEquals("smtp.finding", e.getName());
            events.add(OtlpReceiver.attributes(e.getAttributesList()));
        }
        List<Map<String, Object>> expected = new ArrayList<>();
        for (JsonNode f : line.path("findings")) {
            expected.add(Map.of("smtp.finding.id", f.path("id").asText(),
                    "smtp.finding.severity", f.path("severity").asText(),
                    "smtp.finding.message", f.path("message").asText()));
        }
        assertEquals(expected, events);
    }

    static void assertNoSecretsOrAddresses(OtlpReceiver.ReceivedSpan span) {
        String all = span.span().toString();
        for (String forbidden : List.of(PASSWORD, OtelSupport.FROM, OtelSupport.TO, "smtpwatch sample message")) {
            assertFalse(all.contains(forbidden), () -> forbidden + " in the span: " + all);
        }
    }

    static OtlpReceiver.ReceivedMetric metric(List<OtlpReceiver.ReceivedMetric> metrics, String name) {
        return metrics.stream().filter(m -> m.metric().getName().equals(name)).reduce((first, last) -> last)
                .orElseThrow(() -> new AssertionError("no metric " + name + " in " + metrics));
    }
}
