package dev.smtpwatch.it.usage;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import dev.smtpwatch.it.AgentRun;
import dev.smtpwatch.it.Report;
import dev.smtpwatch.it.postfix.PostfixServer;
import dev.smtpwatch.it.postfix.PostfixServer.Connection;
import dev.smtpwatch.it.postfix.PostfixServer.Listener;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.Set;
import java.util.stream.Collectors;

/**
 * Postfix's own log as the referee of a run: it saw exactly as many connections as the report has lines, the
 * messages per connection agree, every queue id the report names is one Postfix gave, and no finding at medium
 * or above appears that the run does not expect.
 */
final class ConnectionReferee {
    static final Duration LOG_WAIT = Duration.ofSeconds(20);
    private static final Set<String> MEDIUM_OR_ABOVE = Set.of("medium", "high", "critical");

    private ConnectionReferee() {
    }

    /** The tally a run is judged by, also printed for the issue note's table. */
    record Tally(int postfixConnections, int reportLines, List<Integer> postfixMessages, List<Integer> reportMessages) {
        @Override
        public String toString() {
            return "Postfix connections " + postfixConnections + ", report lines " + reportLines
                    + ", messages per connection " + postfixMessages + " / " + reportMessages;
        }
    }

    static Tally judge(PostfixServer server, Listener listener, long mark, Path report, int connections,
            Set<String> expectedFindings, AgentRun.Result run) {
        List<Connection> logged = server.awaitConnections(listener, mark, connections, LOG_WAIT);
        List<Connection> all = server.connectionsSince(listener, mark);
        List<JsonNode> lines = Files.exists(report) ? Report.read(report) : List.of();
        String context = "\nreport:\n" + lines.stream().map(JsonNode::toString).collect(Collectors.joining("\n"))
                + "\nPostfix:\n" + all.stream().map(Connection::toString).collect(Collectors.joining("\n"))
                + "\n" + (run == null ? "" : run.describe());
        assertEquals(connections, all.size(), () -> "connections Postfix saw" + context);
        assertEquals(connections, lines.size(), () -> "report lines, one per connection" + context);

        List<Integer> postfixMessages = sorted(logged.stream().map(c -> c.queueIds().size()));
        List<Integer> reportMessages = sorted(lines.stream().map(l -> l.path("messages").asInt()));
        assertEquals(postfixMessages, reportMessages, () -> "messages per connection" + context);
        Set<String> postfixQueueIds = logged.stream().flatMap(c -> c.queueIds().stream()).collect(Collectors.toSet());
        for (JsonNode line : lines) {
            line.path("queueIds").forEach(id -> assertTrue(postfixQueueIds.contains(id.asText()),
                    () -> "queue id " + id + " is not one Postfix gave" + context));
            for (JsonNode finding : line.path("findings")) {
                String id = finding.path("id").asText();
                boolean serious = MEDIUM_OR_ABOVE.contains(finding.path("severity").asText());
                assertFalse(serious && !expectedFindings.contains(id),
                        () -> "unexpected finding " + finding + " (expected at most " + expectedFindings + ")"
                                + context);
            }
        }
        return new Tally(all.size(), lines.size(), postfixMessages, reportMessages);
    }

    private static List<Integer> sorted(java.util.stream.Stream<Integer> counts) {
        List<Integer> list = new ArrayList<>(counts.collect(Collectors.toList()));
        Collections.sort(list);
        return list;
    }
}
