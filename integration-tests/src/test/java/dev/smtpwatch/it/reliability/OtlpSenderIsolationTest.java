package dev.smtpwatch.it.reliability;

import static dev.smtpwatch.it.ItSupport.assertSent;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.smtpwatch.it.AgentRun;
import dev.smtpwatch.it.ItSupport;
import dev.smtpwatch.it.SampleApp;
import dev.smtpwatch.it.otel.OtlpReceiver;
import dev.smtpwatch.testserver.ScriptedSmtpServer;
import dev.smtpwatch.testserver.TestPki;
import java.util.List;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/**
 * An app that set every JVM-wide HTTP default to something hostile (sample {@code HostileGlobals}: an Authenticator,
 * HTTPS socket factory and hostname verifier that record the call and refuse, a URL handler factory for http and
 * https): the agent's spans still reach a real OTLP receiver, over http and https, and none of those was consulted.
 * (The OpenTelemetry SDK's configuration check parses the endpoint with {@code new URL(…)}, which asks an installed
 * factory for a handler; the handler is never used: the agent's sender connects on its own sockets.)
 */
class OtlpSenderIsolationTest {
    @ParameterizedTest(name = "{0}")
    @ValueSource(strings = {"http", "https"})
    void spansArriveAndTheAppsHttpGlobalsAreNeverConsulted(String scheme) throws Exception {
        TestPki pki = ItSupport.pki();
        try (OtlpReceiver receiver = "https".equals(scheme)
                ? OtlpReceiver.https(pki.serverContext(TestPki.Cert.LOCALHOST)) : new OtlpReceiver();
             ScriptedSmtpServer server = ScriptedSmtpServer.builder().start()) {
            AgentRun.Result run = ItSupport.send(SampleApp.ANGUS_MAIL, server, "debug=on")
                    .mainClass("dev.smtpwatch.sample.jakartamail.HostileGlobals")
                    .property("sample.messages", 2)
                    .env("OTEL_EXPORTER_OTLP_ENDPOINT", receiver.endpoint())
                    .env("OTEL_BSP_SCHEDULE_DELAY", "50")
                    .run();
            assertSent(run, 2);
            List<OtlpReceiver.ReceivedSpan> spans = receiver.spans().stream()
                    .filter(s -> s.name().startsWith("SMTP ")).toList();
            assertEquals(1, spans.size(), () -> "SMTP spans: " + receiver.spans() + "\n" + run.describe());
            assertEquals(List.of(), run.stderrLines().stream().filter(l -> l.startsWith("hostile global consulted"))
                    .toList(),
                    run::describe);
            assertTrue(run.stderrLines().stream().noneMatch(l -> l.contains("could not export")), run::describe);
            List<String> asked = run.stderrLines().stream().filter(l -> l.startsWith("hostile global asked"))
                    .toList();
            Reliability.record("OtlpSenderIsolationTest", scheme + ": " + spans.size() + " span received, "
                    + receiver.requests() + " OTLP requests over " + receiver.clientPorts().size()
                    + " connection(s), 0 app globals consulted; URL handlers asked for (never used): " + asked);
        }
    }
}
