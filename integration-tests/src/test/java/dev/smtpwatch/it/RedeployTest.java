package dev.smtpwatch.it;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import dev.smtpwatch.it.postfix.PostfixServer;
import dev.smtpwatch.it.postfix.PostfixServer.Listener;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;
import java.util.TreeSet;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Collectors;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/**
 * A webapp deployed and undeployed a hundred times in one JVM ({@link RedeployHost}), each deployment sending one
 * mail through Postfix with its own Angus Mail: with the agent attached every deployment's class loader is
 * collected and Metaspace stays flat, as without it.
 */
@PostfixServer.Required
class RedeployTest {
    private static final int ROUNDS = 100;
    private static final Pattern SENT = Pattern.compile("redeploy: sent (\\d+) of (\\d+)");
    private static final Pattern COLLECTED = Pattern.compile("redeploy: loaders collected (\\d+) of (\\d+)");
    private static final Pattern METASPACE = Pattern.compile(
            "redeploy: metaspace after round \\d+ (\\d+) bytes, after round \\d+ (\\d+) bytes, first deployment (\\d+) bytes");

    static PostfixServer server;

    @TempDir
    Path dir;

    @BeforeAll
    static void startPostfix() {
        server = PostfixServer.shared();
    }

    /** The host itself leaks nothing: without the agent every loader goes (ten rounds are enough to show it). */
    @Test
    void withoutTheAgentEveryLoaderIsCollected() {
        AgentRun.Result run = redeploy(10).withoutAgent().run();

        assertEquals(0, run.exitCode(), run::describe);
        assertEquals(List.of("10", "10"), numbers(SENT, run), run::describe);
        assertEquals(List.of("10", "10"), numbers(COLLECTED, run), run::describe);
    }

    @ParameterizedTest(name = "otel={0}")
    @ValueSource(strings = {"off", "on"})
    void everyLoaderIsCollectedAndMetaspaceStaysFlat(String otel) {
        Path report = dir.resolve("report.jsonl");
        long mark = server.maillogMark();
        AgentRun.Result run = redeploy(ROUNDS).agentArgs("report=" + report + ",otel=" + otel)
                // the embedded SDK exports to nowhere: what matters is that its threads start, not the spans
                .property("otel.traces.exporter", "none").property("otel.metrics.exporter", "none")
                .property("otel.logs.exporter", "none")
                .run();

        assertEquals(0, run.exitCode(), run::describe);
        assertEquals(List.of(String.valueOf(ROUNDS), String.valueOf(ROUNDS)), numbers(SENT, run), run::describe);
        assertEquals(List.of(String.valueOf(ROUNDS), String.valueOf(ROUNDS)), numbers(COLLECTED, run),
                run::describe);
        List<String> metaspace = numbers(METASPACE, run);
        long afterTenth = Long.parseLong(metaspace.get(0));
        long afterLast = Long.parseLong(metaspace.get(1));
        // Metaspace after round 100 may exceed that after round 10 by less than half of one deployment (about 6 MB,
        // printed as "first deployment"): one leaked loader shows, while the JVM's own growth (JIT, late-loaded JDK
        // and agent classes, 1.2 MB once on a loaded machine) does not fail the test.
        long deployment = Long.parseLong(metaspace.get(2));
        assertTrue(afterLast - afterTenth < deployment / 2, "Metaspace grew from " + afterTenth + " to "
                + afterLast + " bytes over " + (ROUNDS - 10) + " redeploys\n" + run.describe());

        // the referee: Postfix queued every mail, and each deployment's session is in the report with its queue id
        Set<String> queued = server.awaitConnections(Listener.NOTLS, mark, ROUNDS, Duration.ofSeconds(30)).stream()
                .flatMap(c -> c.queueIds().stream()).collect(Collectors.toCollection(TreeSet::new));
        List<JsonNode> lines = Report.read(report);
        assertEquals(ROUNDS, lines.size());
        Set<String> reported = lines.stream().flatMap(l -> l.path("queueIds").valueStream()).map(JsonNode::asText)
                .collect(Collectors.toCollection(TreeSet::new));
        assertEquals(queued, reported);
        System.out.println("redeploy otel=" + otel + ": " + String.join(" / ", run.stdoutLines().stream()
                .filter(l -> l.startsWith("redeploy:")).collect(Collectors.toList())));
    }

    private AgentRun redeploy(int rounds) {
        return ItSupport.send(SampleApp.ANGUS_MAIL, server.port(Listener.NOTLS), "")
                .property("mail.smtp.host", PostfixServer.HOST)
                .hostedBy(RedeployHost.class, String.valueOf(rounds))
                .timeout(Duration.ofMinutes(3));
    }

    private static List<String> numbers(Pattern pattern, AgentRun.Result run) {
        for (String line : run.stdoutLines()) {
            Matcher m = pattern.matcher(line);
            if (m.matches()) {
                List<String> groups = new ArrayList<>();
                for (int i = 1; i <= m.groupCount(); i++) {
                    groups.add(m.group(i));
                }
                return groups;
            }
        }
        throw new AssertionError("no line like " + pattern + "\n" + run.describe());
    }
}
