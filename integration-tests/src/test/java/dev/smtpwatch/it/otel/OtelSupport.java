package dev.smtpwatch.it.otel;

import dev.smtpwatch.it.Canaries;
import dev.smtpwatch.it.ItSupport;
import dev.smtpwatch.testserver.ScriptedSmtpServer;
import dev.smtpwatch.testserver.TestPki;
import java.nio.file.Path;
import java.util.List;
import java.util.function.Predicate;

/** What the OpenTelemetry tests share. */
final class OtelSupport {
    static final String USER = "otel-user";
    static final String PASSWORD = Canaries.PASSWORD;
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
}
