package dev.smtpwatch.it.reliability;

import static dev.smtpwatch.it.ItSupport.assertSent;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import dev.smtpwatch.it.AgentRun;
import dev.smtpwatch.it.ItSupport;
import dev.smtpwatch.it.Report;
import dev.smtpwatch.it.SampleApp;
import dev.smtpwatch.it.postfix.PostfixServer;
import dev.smtpwatch.it.postfix.PostfixServer.Listener;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.TreeSet;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.Test;

/**
 * 32 threads sharing one mail Session, 50 messages each, one connection per message, through Postfix: 1,600
 * sessions, every one its own report line with only its own thread's commands (each thread sends from and to its
 * own addresses, recorded unmasked here), refereed by Postfix's log; the app's output is the same without the agent.
 * The in-JVM variant of 32 concurrent senders is {@code ExportPipelineTest}; the small real-server one is
 * {@code UsagePatternTest}'s pattern (k), whose app code this run reuses with more threads.
 */
@PostfixServer.Required
class LoadTest {
    private static final int THREADS = 32;
    private static final int EACH = 50;
    private static final Pattern QUEUED_FROM = Pattern.compile(" ([0-9A-Za-z]{8,}): from=<([^>]*)>");
    private static final Pattern THREAD_ADDRESS = Pattern.compile("(FROM|TO):<t(\\d+)-(sender@example\\.com|"
            + "recipient@example\\.org)>");

    private final Path dir = Reliability.runDir("load");

    private static AgentRun threads(PostfixServer postfix) {
        return ItSupport.send(SampleApp.JAVAX_MAIL, postfix.port(Listener.NOTLS), "")
                .mainClass("dev.smtpwatch.sample.javaxmail.UsagePatterns")
                .property("mail.smtp.host", postfix.host())
                .property("sample.pattern", "threads-sharing-session")
                .property("sample.threads", THREADS)
                .property("sample.messagesPerThread", EACH)
                .property("sample.addressPerThread", true)
                .timeout(Duration.ofMinutes(3));
    }

    @Test
    void thirtyTwoThreadsTimesFiftyMessagesAreSixteenHundredUnmixedSessions() throws Exception {
        PostfixServer postfix = PostfixServer.shared();
        Path report = dir.resolve("load.jsonl");
        Files.deleteIfExists(report);
        AgentRun.Result without = threads(postfix).withoutAgent().run();
        long mark = postfix.maillogMark();
        AgentRun.Result with = threads(postfix).agentArgs("report=" + report + ",mask=off,otel=off").run();
        assertSent(without, THREADS * EACH);
        assertSent(with, THREADS * EACH);
        assertEquals(Reliability.appLines(without), Reliability.appLines(with), "the app printed the same");
        assertEquals(List.of(), Reliability.agentLinesExceptFindings(with), "the agent's own lines");

        List<PostfixServer.Connection> connections = postfix.awaitConnections(Listener.NOTLS, mark, THREADS * EACH,
                Duration.ofSeconds(60));
        assertEquals(THREADS * EACH, connections.size());
        Map<String, String> senderByQueueId = new HashMap<>();
        for (String line : postfix.maillogLinesSince(mark)) {
            Matcher m = QUEUED_FROM.matcher(line);
            if (m.find()) {
                senderByQueueId.put(m.group(1), m.group(2));
            }
        }
        TreeSet<String> postfixQueueIds = new TreeSet<>();
        connections.forEach(c -> postfixQueueIds.addAll(c.queueIds()));
        assertEquals(THREADS * EACH, postfixQueueIds.size(), "Postfix accepted every message");

        List<JsonNode> lines = Report.read(report);
        assertEquals(THREADS * EACH, lines.size(), "one report line per connection");
        Map<Integer, Integer> sessionsPerThread = new TreeMap<>();
        TreeSet<String> reportQueueIds = new TreeSet<>();
        for (JsonNode line : lines) {
            List<String> verbs = new ArrayList<>();
            line.path("commands").forEach(c -> verbs.add(c.path("verb").asText()));
            assertEquals(List.of("EHLO", "MAIL", "RCPT", "DATA", "QUIT"), verbs, line::toString);
            int from = thread(line.at("/commands/1/arg").asText(), line);
            int to = thread(line.at("/commands/2/arg").asText(), line);
            assertEquals(from, to, () -> "a session with two threads' commands: " + line);
            assertEquals("sent", line.path("outcome").asText(), line::toString);
            String queueId = line.at("/queueIds/0").asText();
            assertEquals("t" + from + "-sender@example.com", senderByQueueId.get(queueId),
                    () -> "Postfix's sender of " + queueId + " for " + line);
            reportQueueIds.add(queueId);
            sessionsPerThread.merge(from, 1, Integer::sum);
        }
        assertEquals(postfixQueueIds, reportQueueIds, "the report names exactly the messages Postfix queued");
        assertEquals(THREADS, sessionsPerThread.size());
        sessionsPerThread.values().forEach(n -> assertEquals(EACH, n));
        Reliability.record("LoadTest", THREADS + " threads x " + EACH + " messages through Postfix: "
                + postfixQueueIds.size() + " mails accepted, " + lines.size() + " sessions recorded, 0 mixed; wall "
                + Duration.between(with.startedAt(), with.endedAt()).toMillis() + " ms with the agent, "
                + Duration.between(without.startedAt(), without.endedAt()).toMillis() + " ms without");
    }

    private static int thread(String arg, JsonNode line) {
        Matcher m = THREAD_ADDRESS.matcher(arg);
        assertTrue(m.matches(), () -> "unexpected address " + arg + " in " + line);
        return Integer.parseInt(m.group(2));
    }
}
