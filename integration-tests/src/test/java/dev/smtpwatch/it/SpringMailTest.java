package dev.smtpwatch.it;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import dev.smtpwatch.it.otel.OtlpReceiver;
import dev.smtpwatch.it.otel.OtlpReceiver.ReceivedSpan;
import dev.smtpwatch.it.postfix.PostfixServer;
import dev.smtpwatch.it.postfix.PostfixServer.Listener;
import io.opentelemetry.proto.trace.v1.Span;
import io.opentelemetry.proto.trace.v1.Status;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.stream.Collectors;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;

/**
 * Spring's JavaMailSender, unmodified (Spring Boot 3 configured only by spring.mail.*, and a Spring 5.3 app),
 * with the agent attached, sending through the real Postfix submission listener (STARTTLS required, AUTH only
 * after TLS). Postfix's own log is the referee for how many connections Spring opened; the spans go to a real
 * OTLP receiver through smtpwatch's embedded SDK.
 */
@PostfixServer.Required
class SpringMailTest {
    private static final Duration WAIT = Duration.ofSeconds(15);

    @TempDir
    Path dir;
    private OtlpReceiver receiver;
    private PostfixServer postfix;

    @BeforeEach
    void start() throws Exception {
        postfix = PostfixServer.shared();
        receiver = new OtlpReceiver();
    }

    @AfterEach
    void stop() {
        receiver.close();
    }

    private Path report() {
        return dir.resolve("report.jsonl");
    }

    /** The app configured for STARTTLS + AUTH against the submission listener, exporting spans to the receiver. */
    private AgentRun submission(SampleApp app) {
        return AgentRun.of(app)
            .agentArgs("report=" + report())
            .env("OTEL_EXPORTER_OTLP_ENDPOINT", receiver.endpoint())
            .env("OTEL_SERVICE_NAME", "spring-mailer")
            .property("mail.smtp.host", "localhost")
            .property("mail.smtp.port", postfix.port(Listener.SUBMISSION))
            .property("mail.smtp.auth", "true")
            .property("mail.smtp.starttls.enable", "true")
            .property("mail.smtp.starttls.required", "true")
            .properties(ItSupport.TIMEOUTS)
            .property("javax.net.ssl.trustStore", postfix.trustStore())
            .property("javax.net.ssl.trustStorePassword", postfix.trustStorePassword())
            .property("javax.net.ssl.trustStoreType", "PKCS12")
            .property("sample.user", postfix.user())
            .property("sample.password", postfix.password());
    }

    @ParameterizedTest
    @EnumSource(value = SampleApp.class, names = {"SPRING_BOOT", "SPRING_5"})
    void eachSendIsOneSessionUnderItsJavaMailSenderSpan(SampleApp app) throws Exception {
        long mark = postfix.maillogMark();
        AgentRun.Result run = submission(app).run();

        assertEquals(0, run.exitCode(), run.stderr());
        assertTrue(run.stdout().contains("sample app: sent 2 message(s)"), run.stdout());
        List<PostfixServer.Connection> seen = postfix.awaitConnections(Listener.SUBMISSION, mark, 2, WAIT);
        List<JsonNode> lines = Report.read(report());
        assertEquals(seen.size(), lines.size(), "one report line per connection Postfix saw: " + seen);
        assertEquals(2, lines.size());
        for (JsonNode line : lines) {
            assertEquals("spring.JavaMailSender.send", line.get("entry").asText());
            assertEquals(app.libraryName(), line.at("/library/name").asText());
            assertEquals(ItSupport.STARTTLS_AUTH, ItSupport.field(line.get("commands"), "verb"));
            assertEquals("[false, false, true, true, true, true, true, true]",
                ItSupport.field(line.get("commands"), "tls").toString());
            assertEquals("sent", line.get("outcome").asText());
            assertEquals(1, line.get("messages").asInt());
            assertEquals("starttls", line.at("/tls/mode").asText());
        }
        assertFalse(Report.text(report()).contains(postfix.password()), "the password never reaches the report");
        assertFalse(run.stderr().contains(postfix.password()) || run.stdout().contains(postfix.password()));

        List<ReceivedSpan> sends = receiver.awaitSpans(s -> s.name().equals("JavaMailSender.send"), 2, WAIT);
        List<ReceivedSpan> smtp = receiver.awaitSpans(s -> s.name().startsWith("SMTP "), 2, WAIT);
        assertEquals(2, sends.size(), describe(receiver.spans()));
        assertEquals(2, smtp.size(), describe(receiver.spans()));
        for (ReceivedSpan send : sends) {
            assertEquals(Span.SpanKind.SPAN_KIND_INTERNAL, send.span().getKind());
            assertNotEquals(Status.StatusCode.STATUS_CODE_ERROR, send.span().getStatus().getCode());
        }
        for (ReceivedSpan session : smtp) {
            assertEquals(Span.SpanKind.SPAN_KIND_CLIENT, session.span().getKind());
            ReceivedSpan parent = sends.stream().filter(s -> s.spanId().equals(session.parentSpanId())).findFirst()
                .orElseThrow(() -> new AssertionError("no JavaMailSender.send parent for " + session.name()));
            assertEquals(parent.traceId(), session.traceId());
            assertEquals("localhost", session.attributes().get("server.address"));
        }
    }

    @Test
    void theTypoFromARealSpringBootReportIsNamedInSpringTerms() throws Exception {
        // spring.mail.properties.mail.smpt.starttls.enable=true: the app believes it asked for STARTTLS.
        AgentRun.Result run = AgentRun.of(SampleApp.SPRING_BOOT)
            .agentArgs("report=" + report() + ",otel=off")
            .property("mail.smtp.host", "localhost")
            .property("mail.smtp.port", postfix.port(Listener.SUBMISSION))
            .property("mail.smtp.auth", "true")
            .property("mail.smpt.starttls.enable", "true")
            .properties(ItSupport.TIMEOUTS)
            .property("sample.user", postfix.user())
            .property("sample.password", postfix.password())
            .run();

        assertEquals(1, run.exitCode(), "Postfix refuses MAIL without TLS: " + run.stdout() + run.stderr());
        JsonNode line = Report.read(report()).get(0);
        assertEquals("spring.JavaMailSender.send", line.get("entry").asText());
        Map<String, JsonNode> findings = findings(line);
        assertTrue(findings.containsKey("server-requires-starttls"), findings.keySet().toString());
        assertTrue(findings.get("server-requires-starttls").get("fix").asText()
            .contains("spring.mail.properties.mail.smtp.starttls.enable=true"), findings.toString());
        JsonNode typo = findings.get("property-typo");
        assertTrue(typo != null && typo.get("message").asText().contains("mail.smpt.starttls.enable")
            && typo.get("message").asText().contains("mail.smtp.starttls.enable"), findings.toString());
        assertTrue(typo.get("fix").asText().contains("spring.mail.properties.mail.smtp.starttls.enable"),
            typo.get("fix").asText());
        assertTrue(run.stderr().contains("WARN smtpwatch [property-typo]"), run.stderr());
        assertTrue(run.stderr().contains("WARN smtpwatch [server-requires-starttls]"), run.stderr());
    }

    @Test
    void testConnectionIsASessionWithoutMail() throws Exception {
        AgentRun.Result run = submission(SampleApp.SPRING_BOOT).property("sample.test-connection", "true").run();

        assertEquals(0, run.exitCode(), run.stderr());
        assertTrue(run.stdout().contains("sample app: connection ok"), run.stdout());
        JsonNode line = Report.single(report());
        assertEquals("spring.JavaMailSender.testConnection", line.get("entry").asText());
        assertEquals("no-mail", line.get("outcome").asText());
        assertEquals(List.of("EHLO", "STARTTLS", "EHLO", "AUTH", "QUIT"), ItSupport.field(line.get("commands"), "verb"));
        assertEquals("success", line.at("/auth/outcome").asText());
    }

    @Test
    void aRejectedPasswordFailsTheSendSpanWithSpringsException() throws Exception {
        AgentRun.Result run = submission(SampleApp.SPRING_BOOT).property("sample.password", "not-the-password").run();

        assertEquals(1, run.exitCode());
        assertTrue(run.stderr().contains("MailAuthenticationException"), run.stderr());
        JsonNode line = Report.single(report());
        assertEquals("failed", line.get("outcome").asText());
        assertEquals(535, lastAuthReply(line));
        assertEquals("failure", line.at("/auth/outcome").asText());
        assertTrue(findings(line).containsKey("auth-failed"), findings(line).keySet().toString());
        assertFalse(Report.text(report()).contains("not-the-password"));

        ReceivedSpan send = receiver.awaitSpans(s -> s.name().equals("JavaMailSender.send"), 1, WAIT).get(0);
        assertEquals(Status.StatusCode.STATUS_CODE_ERROR, send.span().getStatus().getCode());
        assertEquals("org.springframework.mail.MailAuthenticationException", send.attributes().get("error.type"));
        ReceivedSpan smtp = receiver.awaitSpans(s -> s.name().startsWith("SMTP "), 1, WAIT).get(0);
        assertEquals(send.spanId(), smtp.parentSpanId());
        assertEquals(Status.StatusCode.STATUS_CODE_ERROR, smtp.span().getStatus().getCode());
        assertEquals(List.of("auth-failed"), smtp.attributes().get("smtp.findings"));
    }

    @Test
    void aRejectedRecipientFailsTheSendSpanWithMailSendException() throws Exception {
        AgentRun.Result run = submission(SampleApp.SPRING_5).property("sample.to", PostfixServer.REJECTED_RECIPIENT)
            .run();

        assertEquals(1, run.exitCode());
        assertTrue(run.stderr().contains("org.springframework.mail.MailSendException"), run.stderr());
        List<JsonNode> lines = Report.read(report());
        assertEquals(1, lines.size(), "the first send fails, so the app stops there");
        JsonNode line = lines.get(0);
        assertEquals("failed", line.get("outcome").asText());
        assertEquals("spring.JavaMailSender.send", line.get("entry").asText());
        assertTrue(ItSupport.field(line.get("commands"), "reply").contains("550"), line.toString());

        ReceivedSpan send = receiver.awaitSpans(s -> s.name().equals("JavaMailSender.send"), 1, WAIT).get(0);
        assertEquals(Status.StatusCode.STATUS_CODE_ERROR, send.span().getStatus().getCode());
        assertEquals("org.springframework.mail.MailSendException", send.attributes().get("error.type"));
    }

    private static int lastAuthReply(JsonNode line) {
        int reply = -1;
        for (JsonNode command : line.get("commands")) {
            if (command.get("verb").asText().equals("AUTH")) {
                reply = command.get("reply").asInt();
            }
        }
        return reply;
    }

    private static Map<String, JsonNode> findings(JsonNode line) {
        return java.util.stream.StreamSupport.stream(line.get("findings").spliterator(), false)
            .collect(Collectors.toMap(f -> f.get("id").asText(), f -> f, (a, b) -> a));
    }

    private static String describe(List<ReceivedSpan> spans) {
        return spans.stream().map(s -> s.name() + " " + s.spanId() + "<-" + s.parentSpanId())
            .collect(Collectors.joining(", "));
    }
}
