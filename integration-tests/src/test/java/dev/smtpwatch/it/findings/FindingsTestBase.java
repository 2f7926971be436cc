package dev.smtpwatch.it.findings;

import static dev.smtpwatch.it.ItSupport.assertCommonFields;
import static dev.smtpwatch.it.ItSupport.findingIds;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import dev.smtpwatch.it.AgentRun;
import dev.smtpwatch.it.ItSupport;
import dev.smtpwatch.it.Report;
import dev.smtpwatch.it.SampleApp;
import dev.smtpwatch.testserver.ScriptedSmtpServer;
import dev.smtpwatch.testserver.TestPki;
import dev.smtpwatch.testserver.TlsMode;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.regex.Pattern;
import org.junit.jupiter.api.io.TempDir;

/**
 * What every findings test does: runs a sample app with {@code -javaagent:…=report=…,otel=off}, then judges the one
 * report line and the agent's WARN lines on the app's stderr against each other.
 */
abstract class FindingsTestBase {
    static final List<String> SEVERITIES = List.of("info", "low", "medium", "high", "critical");
    private static final String WARN_PREFIX = "WARN smtpwatch [";
    /** A full stop followed by a new sentence: a finding's message and fix are one sentence each. */
    private static final Pattern SECOND_SENTENCE = Pattern.compile("\\.\\s+[A-Z]");

    @TempDir
    Path dir;

    Path report() {
        return dir.resolve("report.jsonl");
    }

    String agentArgs() {
        return "report=" + report() + ",otel=off";
    }

    /** {@link ItSupport#send} with this test's agent arguments. */
    AgentRun send(SampleApp app, ScriptedSmtpServer server) {
        return ItSupport.send(app, server, agentArgs());
    }

    AgentRun send(SampleApp app, int port) {
        return ItSupport.send(app, port, agentArgs());
    }

    /** A scripted server offering TLS the {@code mode} way with the test PKI's certificate {@code cert}. */
    static ScriptedSmtpServer.Builder tlsServer(TlsMode mode, TestPki.Cert cert) {
        return ScriptedSmtpServer.builder().tls(mode, ItSupport.pki().serverContext(cert));
    }

    /** STARTTLS enabled and required: the library refuses to go on without TLS. */
    static AgentRun startTlsRequired(AgentRun run) {
        return run.property("mail.smtp.starttls.enable", "true").property("mail.smtp.starttls.required", "true");
    }

    /**
     * The one report line of {@code run}, after checking the fields every line has and that the WARN lines on
     * stderr are exactly the line's findings, in order, each as {@code WARN smtpwatch [<id>] <message> — fix: <fix>}.
     */
    JsonNode judged(AgentRun.Result run, SampleApp app, int port) {
        return judged(run, app, "localhost", port);
    }

    /** {@link #judged(AgentRun.Result, SampleApp, int)} for a server the app knows by the name {@code host}. */
    JsonNode judged(AgentRun.Result run, SampleApp app, String host, int port) {
        List<JsonNode> lines = judgedLines(run, app, host, port);
        assertEquals(1, lines.size(), () -> "report lines: " + lines);
        return lines.get(0);
    }

    /** {@link #judged} for a run with several sessions (Spring's JavaMailSender connects per send). */
    List<JsonNode> judgedLines(AgentRun.Result run, SampleApp app, int port) {
        return judgedLines(run, app, "localhost", port);
    }

    private List<JsonNode> judgedLines(AgentRun.Result run, SampleApp app, String host, int port) {
        List<JsonNode> lines = Report.read(report());
        List<String> expected = new ArrayList<>();
        for (JsonNode line : lines) {
            assertCommonFields(line, app, host, port, run);
            for (JsonNode finding : line.path("findings")) {
                expected.add(warnLine(finding));
            }
        }
        assertEquals(expected, warnLines(run), () -> "WARN lines vs the report's findings\n" + lines + "\n"
                + run.describe());
        return lines;
    }

    /** The finding {@code id} of {@code line}; fails unless there is exactly one. */
    static JsonNode finding(JsonNode line, String id) {
        List<JsonNode> found = new ArrayList<>();
        for (JsonNode finding : line.path("findings")) {
            if (id.equals(finding.path("id").asText())) {
                found.add(finding);
            }
        }
        assertEquals(1, found.size(), () -> "findings with id " + id + " in " + line);
        return found.get(0);
    }

    /**
     * Asserts the finding {@code id}: its severity, a message naming {@code localhost:port} and a fix naming every
     * one of {@code fixNames} (the exact keys or settings to change), each one sentence. Returns the finding.
     */
    static JsonNode assertFinding(JsonNode line, String id, String severity, int port, String... fixNames) {
        return assertFinding(finding(line, id), severity, port, fixNames);
    }

    /** {@link #assertFinding(JsonNode, String, String, int, String...)} for one of several findings of an id. */
    static JsonNode assertFinding(JsonNode finding, String severity, int port, String... fixNames) {
        return assertFinding(finding, severity, "localhost:" + port, fixNames);
    }

    /** {@link #assertFinding(JsonNode, String, int, String...)} naming {@code where} ({@code host:port}). */
    static JsonNode assertFinding(JsonNode finding, String severity, String where, String... fixNames) {
        assertEquals(severity, finding.path("severity").asText(), () -> "severity of " + finding);
        String message = finding.path("message").asText();
        String fix = finding.path("fix").asText();
        assertTrue(message.contains(where), () -> "message does not name " + where + ": " + finding);
        for (String name : fixNames) {
            assertTrue(fix.contains(name), () -> "fix does not name " + name + ": " + finding);
        }
        assertOneSentence(finding);
        return finding;
    }

    /** Message and fix read as one sentence each: no line break, no second sentence, no trailing full stop. */
    static void assertOneSentence(JsonNode finding) {
        for (String field : List.of("message", "fix")) {
            String text = finding.path(field).asText();
            assertFalse(text.contains("\n") || text.contains("\r"), () -> field + " spans lines: " + finding);
            assertFalse(SECOND_SENTENCE.matcher(text).find(), () -> field + " is more than one sentence: " + finding);
            assertFalse(text.endsWith("."), () -> field + " ends with a full stop: " + finding);
        }
    }

    static void assertNoFinding(JsonNode line, String id) {
        assertFalse(findingIds(line).contains(id), () -> id + " must not be raised: " + line);
    }

    /** No finding of severity {@code severity} or above. */
    static void assertNothingAtOrAbove(JsonNode line, String severity) {
        int threshold = SEVERITIES.indexOf(severity);
        for (JsonNode finding : line.path("findings")) {
            assertTrue(SEVERITIES.indexOf(finding.path("severity").asText()) < threshold,
                    () -> "finding at or above " + severity + ": " + finding + "\nin " + line);
        }
    }

    static void assertIds(JsonNode line, String... ids) {
        assertEquals(List.of(ids), findingIds(line), () -> "finding ids of " + line);
    }

    static String warnLine(JsonNode finding) {
        return WARN_PREFIX + finding.path("id").asText() + "] " + finding.path("message").asText() + " — fix: "
                + finding.path("fix").asText();
    }

    static List<String> warnLines(AgentRun.Result run) {
        List<String> lines = new ArrayList<>();
        for (String line : run.stderrLines()) {
            if (line.startsWith(WARN_PREFIX)) {
                lines.add(line);
            }
        }
        return lines;
    }

    /** What the app printed about its failure: its failure line and the exception's indented nested lines. */
    static String failure(AgentRun.Result run) {
        assertEquals(1, run.exitCode(), run::describe);
        StringBuilder failure = new StringBuilder();
        for (String line : run.stderrLines()) {
            if (line.startsWith("sample app: sending failed: ")
                    || failure.length() > 0 && Character.isWhitespace(line.charAt(0))) {
                failure.append(line).append('\n');
            } else if (failure.length() > 0) {
                break;
            }
        }
        if (failure.length() == 0) {
            throw new AssertionError("the app printed no failure line\n" + run.describe());
        }
        return failure.toString();
    }
}
