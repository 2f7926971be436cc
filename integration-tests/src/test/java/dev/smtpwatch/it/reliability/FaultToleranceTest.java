package dev.smtpwatch.it.reliability;

import static dev.smtpwatch.it.ItSupport.assertSent;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import com.sun.net.httpserver.HttpServer;
import dev.smtpwatch.it.AgentRun;
import dev.smtpwatch.it.ItSupport;
import dev.smtpwatch.it.Report;
import dev.smtpwatch.it.SampleApp;
import dev.smtpwatch.testserver.ScriptedSmtpServer;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.ServerSocket;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.function.UnaryOperator;
import org.junit.jupiter.api.Test;

/**
 * Faults around the agent — hostile or broken servers, a report path that cannot be written or is never read, a
 * collector that is down, slow or failing, an internal error of the agent — never cost the app a mail or change
 * what it sees: each scenario runs without and with the agent and the app's own output and exit code must match.
 */
class FaultToleranceTest {
    private static final int MESSAGES = 3;

    private final Path dir = Reliability.runDir("faults");

    /** The app's run through {@code server}, with {@code more} applied, first without then with the agent. */
    private AgentRun.Result bothWays(ScriptedSmtpServer server, String name, String agentArgs,
            UnaryOperator<AgentRun> more) throws Exception {
        return Reliability.withAndWithout(args -> more.apply(ItSupport.send(SampleApp.JAVAX_MAIL, server, args)),
                dir.resolve(name + ".jsonl"), agentArgs);
    }

    /** The report: valid JSON Lines (every line parses), no raw control character in any value. */
    private JsonNode onlyLine(String name) throws Exception {
        Path report = dir.resolve(name + ".jsonl");
        for (String raw : Files.readAllLines(report)) {
            assertFalse(Reliability.CONTROL.matcher(raw).find(), () -> "raw control character in the report: "
                    + raw);
        }
        List<JsonNode> lines = Report.read(report);
        assertEquals(1, lines.size(), () -> "report lines: " + lines);
        return lines.get(0);
    }

    @Test
    void aServerDroppingTheConnectionInTheMiddleOfDataIsOneFailedSession() throws Exception {
        try (ScriptedSmtpServer server = ScriptedSmtpServer.builder().dropInData().start()) {
            AgentRun.Result run = bothWays(server, "drop-in-data", "otel=off", r -> r);
            assertEquals(1, run.exitCode(), run::describe);
            JsonNode line = onlyLine("drop-in-data");
            assertEquals("failed", line.path("outcome").asText(), line::toString);
            assertEquals(0, line.path("messages").asInt());
        }
    }

    @Test
    void garbageRepliesWithEscapesNewlinesAndJsonStayInsideOneValidLine() throws Exception {
        String hostile = "550 5.1.1 \u001b[31mred\u001b[0m {\"outcome\":\"sent\"}\r\u0007 \\\" end";
        try (ScriptedSmtpServer server = ScriptedSmtpServer.builder()
                .greeting("220-smtp.example.com \u001b[2J\r\n220-\u0000garbage\u0001\r\n220 ready")
                .reply("EHLO", "250-localhost \u001b]0;title\u0007\r\n250-{\"x\":\"\u001b[31m\r\n250 8BITMIME")
                .reply("RCPT", hostile)
                .start()) {
            AgentRun.Result run = bothWays(server, "garbage", "otel=off", r -> r);
            JsonNode line = onlyLine("garbage");
            assertEquals("failed", line.path("outcome").asText(), line::toString);
            long findings = line.path("findings").size();
            long findingLines = Reliability.agentLines(run).size()
                    - Reliability.agentLinesExceptFindings(run).size();
            assertEquals(findings, findingLines, () -> "one log line per finding:\n" + run.describe());
        }
    }

    @Test
    void aTenMegabyteReplyLineIsCutNotCopied() throws Exception {
        try (ScriptedSmtpServer server = ScriptedSmtpServer.builder()
                .reply("RCPT", "550 5.1.1 " + "x".repeat(10 * 1024 * 1024))
                .start()) {
            AgentRun.Result run = bothWays(server, "ten-mb-reply", "otel=off", r -> r);
            assertEquals(1, run.exitCode(), run::describe);
            JsonNode line = onlyLine("ten-mb-reply");
            assertTrue(line.at("/error/message").asText().length() <= 1001, "error.message is cut at 1000");
            long bytes = Files.size(dir.resolve("ten-mb-reply.jsonl"));
            assertTrue(bytes < 10_000, () -> "the report line is " + bytes + " bytes");
            Reliability.record("FaultToleranceTest", "a 10 MB reply line: report line of " + bytes + " bytes");
        }
    }

    @Test
    void aServerThatGreetsThenHangsCostsTheAppItsOwnTimeoutOnly() throws Exception {
        try (ScriptedSmtpServer server = ScriptedSmtpServer.builder().hangOn("EHLO").start()) {
            AgentRun.Result run = bothWays(server, "greets-then-hangs", "otel=off",
                    r -> r.property("mail.smtp.timeout", 1500));
            assertEquals(1, run.exitCode(), run::describe);
            JsonNode line = onlyLine("greets-then-hangs");
            assertEquals(220, line.path("greeting").asInt());
            assertEquals(-1, line.at("/commands/0/reply").asInt(), line::toString);
        }
    }

    @Test
    void anUnwritableReportPathGivesOneWarningAndTheMailGoesOut() throws Exception {
        Path aFile = Files.writeString(dir.resolve("a-file"), "");
        try (ScriptedSmtpServer server = ScriptedSmtpServer.builder().start()) {
            AgentRun.Result run = ItSupport.send(SampleApp.JAVAX_MAIL, server,
                            "report=" + aFile.resolve("under-a-file/r.jsonl") + ",otel=off")
                    .property("sample.messages", MESSAGES).run();
            assertSent(run, MESSAGES);
            assertEquals(MESSAGES, server.messagesReceived());
            List<String> agent = Reliability.agentLinesExceptFindings(run);
            assertEquals(1, agent.size(), run::describe);
            assertTrue(agent.get(0).startsWith("WARN smtpwatch cannot write the report file "), run::describe);
        }
    }

    /** A FIFO that no process reads: opening it for writing blocks forever — on the export thread, never the app. */
    @Test
    void aReportFifoNobodyReadsBlocksNoSenderAndNotTheExit() throws Exception {
        Path fifo = dir.resolve("nobody-reads.fifo");
        Files.deleteIfExists(fifo);
        Process mkfifo = new ProcessBuilder("mkfifo", fifo.toString()).inheritIO().start();
        assertEquals(0, mkfifo.waitFor());
        try (ScriptedSmtpServer server = ScriptedSmtpServer.builder().start()) {
            AgentRun.Result run = ItSupport.send(SampleApp.JAVAX_MAIL, server, "report=" + fifo + ",otel=off")
                    .mainClass("dev.smtpwatch.sample.javaxmail.UsagePatterns")
                    .property("sample.pattern", "threads-sharing-session")
                    .property("sample.threads", 4)
                    .property("sample.messagesPerThread", 25)
                    .run();
            assertSent(run, 100);
            assertEquals(100, server.messagesReceived());
            List<String> agent = Reliability.agentLinesExceptFindings(run);
            assertEquals(1, agent.size(), run::describe);
            assertTrue(agent.get(0).startsWith("WARN smtpwatch the export thread is blocked in an exporter"),
                    run::describe);
            Reliability.record("FaultToleranceTest", "report path a FIFO nobody reads: 100 mails sent, JVM wall "
                    + Duration.between(run.startedAt(), run.endedAt()).toMillis() + " ms; " + agent.get(0));
        } finally {
            Files.deleteIfExists(fifo);
        }
    }

    @Test
    void aCollectorAnswering500CostsNoMailAndSaysSoOnce() throws Exception {
        HttpServer collector = HttpServer.create(new InetSocketAddress(InetAddress.getLoopbackAddress(), 0), 0);
        collector.createContext("/", exchange -> {
            exchange.getRequestBody().readAllBytes();
            exchange.sendResponseHeaders(500, -1);
            exchange.close();
        });
        collector.start();
        try (ScriptedSmtpServer server = ScriptedSmtpServer.builder().start()) {
            String endpoint = "http://127.0.0.1:" + collector.getAddress().getPort();
            AgentRun.Result run = bothWays(server, "collector-500", "",
                    r -> r.env("OTEL_EXPORTER_OTLP_ENDPOINT", endpoint).env("OTEL_BSP_SCHEDULE_DELAY", "50")
                            .property("sample.messages", MESSAGES));
            assertSent(run, MESSAGES);
            List<String> agent = Reliability.agentLinesExceptFindings(run);
            assertTrue(!agent.isEmpty() && agent.size() <= 2, run::describe);
            agent.forEach(l -> assertTrue(l.startsWith("WARN smtpwatch could not export "), run::describe));
        } finally {
            collector.stop(0);
        }
    }

    /** The kernel accepts the connection (backlog); nobody ever reads or answers. */
    @Test
    void aCollectorThatAcceptsAndNeverAnswersCostsNoMail() throws Exception {
        try (ServerSocket collector = new ServerSocket(0, 50, InetAddress.getLoopbackAddress());
             ScriptedSmtpServer server = ScriptedSmtpServer.builder().start()) {
            String endpoint = "http://127.0.0.1:" + collector.getLocalPort();
            AgentRun.Result run = bothWays(server, "collector-silent", "",
                    r -> r.env("OTEL_EXPORTER_OTLP_ENDPOINT", endpoint).env("OTEL_BSP_SCHEDULE_DELAY", "50")
                            .env("OTEL_EXPORTER_OTLP_TIMEOUT", "2000")
                            .property("sample.messages", MESSAGES));
            assertSent(run, MESSAGES);
            assertEquals(2 * MESSAGES, server.messagesReceived(), "without and with the agent");
            assertEquals(MESSAGES, onlyLine("collector-silent").path("messages").asInt(), "recorded as usual");
            Reliability.record("FaultToleranceTest", "collector accepts and never answers: " + MESSAGES
                    + " mails sent; JVM wall " + Duration.between(run.startedAt(), run.endedAt()).toMillis()
                    + " ms; agent said: " + Reliability.agentLines(run));
        }
    }

    @Test
    void anInternalErrorOfTheRecorderCostsNoMailAndGivesOneWarning() throws Exception {
        try (ScriptedSmtpServer server = ScriptedSmtpServer.builder().start()) {
            AgentRun.Result run = bothWays(server, "recorder-fails", "otel=off",
                    r -> r.property("smtpwatch-test.failRecorder", true).property("sample.messages", MESSAGES));
            assertSent(run, MESSAGES);
            assertEquals(2 * MESSAGES, server.messagesReceived(), "without and with the agent");
            assertEquals(List.of("WARN smtpwatch a session could not be recorded (an internal error of smtpwatch);"
                    + " mail is unaffected, the report and spans may miss sessions"),
                    Reliability.agentLinesExceptFindings(run));
            assertFalse(Files.exists(dir.resolve("recorder-fails.jsonl")), "nothing recorded");
        }
    }

    /** The app names its own socket factory class for implicit TLS: the agent records through it. */
    @Test
    void anAppsOwnSslSocketFactoryClassIsUsedAndRecorded() throws Exception {
        try (ScriptedSmtpServer server = ScriptedSmtpServer.builder()
                .tls(dev.smtpwatch.testserver.TlsMode.IMPLICIT,
                        ItSupport.pki().serverContext(dev.smtpwatch.testserver.TestPki.Cert.LOCALHOST))
                .start()) {
            AgentRun.Result run = bothWays(server, "own-socket-factory", "otel=off",
                    r -> r.property("mail.smtp.ssl.enable", "true")
                            .property("mail.smtp.ssl.socketFactory.class", "javax.net.ssl.SSLSocketFactory")
                            .property("mail.smtp.ssl.socketFactory.fallback", "false"));
            assertSent(run, 1);
            JsonNode line = onlyLine("own-socket-factory");
            assertEquals("implicit", line.at("/tls/mode").asText(), line::toString);
            assertTrue(line.at("/tls/established").asBoolean(), line::toString);
        }
    }
}
