package dev.smtpwatch.otel;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertSame;

import dev.smtpwatch.agent.AgentLog;
import dev.smtpwatch.otel.bridge.Telemetry;
import dev.smtpwatch.rules.Finding;
import dev.smtpwatch.rules.Severity;
import dev.smtpwatch.session.EntryCall;
import dev.smtpwatch.session.MailLibrary;
import dev.smtpwatch.session.ServerCertificate;
import dev.smtpwatch.session.SessionFixture;
import dev.smtpwatch.session.SessionRecorder;
import dev.smtpwatch.session.CollectingSink;
import dev.smtpwatch.session.SmtpConfig;
import dev.smtpwatch.session.SmtpSession;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

class OtelExporterTest {
    private final FakeTelemetry telemetry = new FakeTelemetry();
    private final OtelExporter exporter = new OtelExporter(
        AgentLog.create(false, new PrintStream(new java.io.ByteArrayOutputStream())), telemetry);
    private final CollectingSink sink = new CollectingSink();
    private final List<Object> ended = sink.inOrder;
    private final SessionRecorder recorder = new SessionRecorder(sink, true, 200);

    private SmtpSession session(Object connection) {
        SmtpConfig config = new SmtpConfig("smtp", true, false, false, true, true, false, null, true, null,
            Collections.<String>emptySet(), 0, 0, 0);
        recorder.connectStarted(connection, new MailLibrary(MailLibrary.ANGUS, Object.class), "mail.example.net",
            587, config);
        recorder.replyRead(connection, 220, "220 hi", null);
        for (String line : new String[] {"EHLO me", "MAIL FROM:<a@example.com>", "RCPT TO:<b@example.com>", "QUIT"}) {
            recorder.commandSent(connection, (line + "\r\n").getBytes(StandardCharsets.US_ASCII), null);
            recorder.replyRead(connection, line.startsWith("QUIT") ? 221 : 250, "250 ok", null);
        }
        recorder.connectEnded(connection, null, null);
        recorder.connectionClosed(connection);
        return (SmtpSession) ended.get(ended.size() - 1);
    }

    @Test
    void sessionIsOneClientSpanWithAttributesAndOneEventPerFinding() {
        SmtpSession s = session(new Object());
        Finding finding = new Finding("cleartext-message", Severity.MEDIUM, "a message went in plaintext", "fix it");
        exporter.export(s, List.of(finding));

        assertEquals(1, telemetry.spans.size());
        FakeTelemetry.FakeSpan span = telemetry.spans.get(0);
        assertEquals("SMTP mail.example.net", span.name);
        assertEquals(Telemetry.CLIENT, span.kind);
        assertNull(span.parent);
        List<String> verbs = new ArrayList<>();
        s.commands().forEach(c -> verbs.add(c.verb()));
        assertEquals(4, verbs.size());
        assertEquals(verbs, span.attributes.get("smtp.commands"), "in order");
        assertEquals("mail.example.net", span.attributes.get("server.address"));
        assertEquals(587, span.attributes.get("server.port"));
        assertEquals("smtp", span.attributes.get("network.protocol.name"));
        assertEquals(false, span.attributes.get("tls.established"));
        assertEquals("none", span.attributes.get("smtp.tls.mode"));
        assertEquals(List.of("cleartext-message"), span.attributes.get("smtp.findings"));
        assertEquals(List.of("smtp.finding"), span.events);
        assertEquals(s.startEpochMillis() * 1_000_000L, span.start);
        assertEquals(span.start + s.durationMs() * 1_000_000L, span.end);
        assertNull(span.errorType);
        assertEquals(List.of("smtp.client.sessions", "smtp.client.session.duration", "smtp.client.findings"),
            telemetry.instruments);
        assertEquals(0, span.attributes.get("smtp.logins"));
        assertNull(span.attributes.get("tls.server.not_after"), "no TLS, no certificate");
    }

    @Test
    void whileTheCollectorRefusesConnectionsSessionsAreCountedButTheirSpansNotBuilt() {
        exporter.failures().spansFailed(3, new java.io.IOException("export failed",
            new java.net.ConnectException("Connection refused")));
        exporter.export(session(new Object()), List.of());

        assertEquals(0, telemetry.spans.size());
        assertEquals(List.of("smtp.client.sessions", "smtp.client.session.duration"), telemetry.instruments);
        assertEquals(4, exporter.failures().droppedSpans());

        exporter.failures().spansExported(); // the collector took the export after the back-off
        exporter.export(session(new Object()), List.of());
        assertEquals(1, telemetry.spans.size());
    }

    @Test
    void theServersLeafCertificateIsNamedAsTheTlsRegistryHasIt() {
        SmtpSession s = SessionFixture.at("smtp.example.com", 587).greeting(220).command("STARTTLS", 220)
            .tlsEstablished("TLSv1.3", "TLS_AES_128_GCM_SHA256")
            .serverCertificates(new ServerCertificate("CN=smtp.example.com", "CN=Example CA", 1798761600000L, true))
            .command("EHLO client", 250).authenticate(235).end();
        exporter.export(s, List.of());
        Map<String, Object> attributes = telemetry.spans.get(0).attributes;
        assertEquals("CN=smtp.example.com", attributes.get("tls.server.subject"));
        assertEquals("CN=Example CA", attributes.get("tls.server.issuer"));
        assertEquals("2027-01-01T00:00:00.000Z", attributes.get("tls.server.not_after"));
        assertEquals(1, attributes.get("smtp.logins"));
    }

    @Test
    void entryCallIsTheInternalParentOfItsSessionsAndEndsWithItsError() {
        recorder.entryStarted("spring.JavaMailSender.send", "JavaMailSender.send", getClass().getClassLoader());
        SmtpSession first = session(new Object());
        SmtpSession second = session(new Object());
        recorder.entryEnded(new IllegalStateException("boom"));
        EntryCall entry = (EntryCall) ended.get(ended.size() - 1);
        exporter.export(first, List.<Finding>of());
        exporter.export(second, List.<Finding>of());
        exporter.entryEnded(entry);

        assertEquals(3, telemetry.spans.size());
        FakeTelemetry.FakeSpan parent = telemetry.spans.get(0);
        assertEquals("JavaMailSender.send", parent.name);
        assertEquals(Telemetry.INTERNAL, parent.kind);
        assertEquals(entry.startEpochMillis() * 1_000_000L, parent.start);
        assertSame(parent, telemetry.spans.get(1).parent);
        assertSame(parent, telemetry.spans.get(2).parent);
        assertEquals(parent.start + entry.durationNanos(), parent.end);
        assertEquals(IllegalStateException.class.getName(), parent.errorType);
    }

    @Test
    void entryCallWithoutSessionStillGetsItsSpan() {
        recorder.entryStarted("spring.JavaMailSender.send", "JavaMailSender.send", getClass().getClassLoader());
        recorder.entryEnded(null);
        exporter.entryEnded((EntryCall) ended.get(0));
        assertEquals(1, telemetry.spans.size());
        assertEquals(Telemetry.INTERNAL, telemetry.spans.get(0).kind);
        assertNull(telemetry.spans.get(0).errorType);
    }

    @Test
    void tlsVersionAsTheSemanticConventionsHaveIt() {
        assertEquals("1.3", OtelExporter.tlsVersion("TLSv1.3"));
        assertEquals("3", OtelExporter.tlsVersion("SSLv3"));
    }

    static final class FakeTelemetry implements Telemetry {
        final List<FakeSpan> spans = new ArrayList<>();
        final List<String> instruments = new ArrayList<>();

        static final class FakeSpan {
            String name;
            String kind;
            Object parent;
            long start;
            long end = -1;
            String errorType;
            Map<String, Object> attributes = new LinkedHashMap<>();
            List<String> events = new ArrayList<>();
        }

        @Override
        public Object startSpan(String name, String kind, Object parent, long startEpochNanos,
                                Map<String, ?> attributes) {
            FakeSpan s = new FakeSpan();
            s.name = name;
            s.kind = kind;
            s.parent = parent;
            s.start = startEpochNanos;
            if (attributes != null) {
                s.attributes.putAll(attributes);
            }
            spans.add(s);
            return s;
        }

        @Override
        public void addEvent(Object span, String name, long epochNanos, Map<String, ?> attributes) {
            ((FakeSpan) span).events.add(name);
        }

        @Override
        public void endSpan(Object span, String errorType, String errorDescription, long endEpochNanos) {
            ((FakeSpan) span).end = endEpochNanos;
            ((FakeSpan) span).errorType = errorType;
        }

        @Override
        public void addToCounter(String name, String unit, String description, long increment,
                                 Map<String, ?> attributes) {
            instruments.add(name);
        }

        @Override
        public void recordInHistogram(String name, String unit, String description, double value,
                                      Map<String, ?> attributes, List<Double> boundaries) {
            instruments.add(name);
        }

        @Override
        public String traceId(Object span) {
            return "0";
        }

        @Override
        public String spanId(Object span) {
            return "0";
        }
    }
}
