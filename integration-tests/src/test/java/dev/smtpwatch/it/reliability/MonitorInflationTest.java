package dev.smtpwatch.it.reliability;

import static dev.smtpwatch.it.ItSupport.assertSent;
import static org.junit.jupiter.api.Assertions.assertEquals;

import dev.smtpwatch.it.AgentRun;
import dev.smtpwatch.it.ItSupport;
import dev.smtpwatch.it.Report;
import dev.smtpwatch.it.SampleApp;
import dev.smtpwatch.testserver.ScriptedSmtpServer;
import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;

/**
 * The agent looks each connection's session up by the transport's identity, from inside the transport's
 * {@code synchronized} methods; the first identity hash of an object locked at that moment makes the JVM inflate its
 * monitor, and every later {@code synchronized} call of the library on it takes the slow path. The JVM's own log
 * counts inflations: the app must show none more on its transports with the agent than without.
 */
class MonitorInflationTest {
    private static final int MESSAGES = 20;
    private static final String TRANSPORT = "type='com.sun.mail.smtp.SMTPTransport'";

    private final Path dir = Reliability.runDir("monitor-inflation");

    @Test
    void noTransportMonitorIsInflatedForTheAgent() throws Exception {
        try (ScriptedSmtpServer server = ScriptedSmtpServer.builder().start()) {
            Path report = dir.resolve("report.jsonl");
            Files.deleteIfExists(report);
            long without = transportInflations(run(server, "without").withoutAgent(), "without");
            long with = transportInflations(run(server, "with").agentArgs("report=" + report + ",otel=off"), "with");

            assertEquals(MESSAGES, Report.read(report).size(), "one report line per connection");
            assertEquals(without, with, "SMTPTransport monitors inflated, with the agent against without");
        }
    }

    private AgentRun run(ScriptedSmtpServer server, String name) {
        return ItSupport.send(SampleApp.JAVAX_MAIL, server, "")
                .mainClass("dev.smtpwatch.sample.javaxmail.UsagePatterns")
                .property("sample.pattern", "threads-sharing-session")
                .property("sample.threads", 1)
                .property("sample.messagesPerThread", MESSAGES)
                .jvmOption("-Xlog:monitorinflation=trace:file=" + dir.resolve(name + "-inflation.log"));
    }

    private long transportInflations(AgentRun run, String name) throws Exception {
        Path log = dir.resolve(name + "-inflation.log");
        Files.deleteIfExists(log);
        AgentRun.Result result = run.run();
        assertSent(result, MESSAGES);
        return Files.readAllLines(log).stream().filter(l -> l.contains("inflate(") && l.contains(TRANSPORT)).count();
    }
}
