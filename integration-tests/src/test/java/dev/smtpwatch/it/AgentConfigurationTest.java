package dev.smtpwatch.it;

import static dev.smtpwatch.it.ItSupport.agentLinesExceptFindings;
import static dev.smtpwatch.it.ItSupport.assertSent;
import static dev.smtpwatch.it.ItSupport.send;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import dev.smtpwatch.testserver.ScriptedSmtpServer;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The agent's settings from the outside: where the report goes, what a mistake in them does (one WARN line, never
 * a failed send), and the precedence agent argument > system property > environment. The behaviour does not
 * depend on the mail library, so one sample app is enough.
 */
class AgentConfigurationTest {
    private static final SampleApp APP = SampleApp.JAVAX_MAIL;
    private static final String VALID_KEYS =
            "report, report.maxMB, otel, log, mask, commands.max, debug, stuck.seconds, cert.expiry.days, enforce, "
            + "enforce.allow";
    /**
     * These tests count the agent's WARN lines; with OpenTelemetry on and no collector listening the agent adds
     * a warning about the unreachable exporter, which is not what they are about (SessionReportTest runs with
     * OpenTelemetry on).
     */
    private static final String OTEL_OFF = ",otel=off";

    @TempDir
    Path dir;
    private ScriptedSmtpServer server;

    @BeforeEach
    void startServer() throws Exception {
        server = ScriptedSmtpServer.builder().start();
    }

    @AfterEach
    void stopServer() throws Exception {
        server.close();
    }

    @Test
    void reportDirectoryIsCreated() {
        Path report = dir.resolve("not/there/yet/report.jsonl");
        AgentRun.Result run = send(APP, server, "report=" + report + OTEL_OFF).run();
        assertSent(run, 1);
        ItSupport.assertNoAgentTrouble(run);
        assertEquals(List.of(), agentLinesExceptFindings(run, "WARN"), run::describe);
        JsonNode line = Report.single(report);
        assertEquals("sent", line.path("outcome").asText());
    }

    @Test
    void unwritableReportGivesOneWarningAndMailIsStillSent() throws Exception {
        Path regularFile = Files.writeString(dir.resolve("a-file"), "not a directory\n");
        Path report = regularFile.resolve("report.jsonl");
        AgentRun.Result run = send(APP, server, "report=" + report + OTEL_OFF).run();
        assertSent(run, 1);
        assertEquals(1, server.messagesReceived());
        List<String> warnings = agentLinesExceptFindings(run, "WARN");
        assertEquals(1, warnings.size(), run::describe);
        assertTrue(warnings.get(0).startsWith("WARN smtpwatch cannot write the report file "), run::describe);
        assertTrue(warnings.get(0).contains(report.toString()), () -> "the warning names the path: " + warnings);
        assertFalse(Files.exists(report));
        assertEquals("not a directory\n", Files.readString(regularFile));
    }

    @Test
    void unknownAgentArgumentGivesOneWarningNamingTheValidKeys() {
        Path report = dir.resolve("report.jsonl");
        AgentRun.Result run = send(APP, server, "report=" + report + ",foo=bar" + OTEL_OFF).run();
        assertSent(run, 1);
        ItSupport.assertNoAgentTrouble(run);
        List<String> warnings = agentLinesExceptFindings(run, "WARN");
        assertEquals(1, warnings.size(), run::describe);
        assertTrue(warnings.get(0).contains("'foo'"), () -> "names the key: " + warnings);
        assertTrue(warnings.get(0).contains(VALID_KEYS), () -> "names the valid keys: " + warnings);
        assertFalse(warnings.get(0).contains("bar"), () -> "values of unknown keys may be secrets: " + warnings);
        assertEquals(1, Report.read(report).size(), "the rest of the arguments still apply");
    }

    @Test
    void invalidValueGivesOneWarningNamingTheValidChoices() {
        Path report = dir.resolve("report.jsonl");
        AgentRun.Result run = send(APP, server, "report=" + report + ",log=loud" + OTEL_OFF).run();
        assertSent(run, 1);
        ItSupport.assertNoAgentTrouble(run);
        List<String> warnings = agentLinesExceptFindings(run, "WARN");
        assertEquals(1, warnings.size(), run::describe);
        assertTrue(warnings.get(0).contains("'log'") && warnings.get(0).contains("loud"),
                () -> "names the key and the value: " + warnings);
        assertTrue(warnings.get(0).contains("warn, info, off"), () -> "names the valid choices: " + warnings);
        assertEquals(1, Report.read(report).size(), "the rest of the arguments still apply");
    }

    @Test
    void agentArgumentBeatsSystemPropertyBeatsEnvironment() {
        Path fromArgument = dir.resolve("argument.jsonl");
        Path fromProperty = dir.resolve("property.jsonl");
        Path fromEnvironment = dir.resolve("environment.jsonl");
        AgentRun.Result run = send(APP, server, "report=" + fromArgument + OTEL_OFF)
                .property("smtpwatch.report", fromProperty)
                .property("smtpwatch.commands.max", "2")
                .env("SMTPWATCH_REPORT", fromEnvironment.toString())
                .env("SMTPWATCH_COMMANDS_MAX", "4")
                .env("SMTPWATCH_MASK", "off")
                .run();
        assertSent(run, 1);
        assertEquals(List.of(), agentLinesExceptFindings(run, "WARN"), run::describe);
        assertFalse(Files.exists(fromProperty));
        assertFalse(Files.exists(fromEnvironment));
        JsonNode line = Report.single(fromArgument);
        // commands.max from the system property (2) beats the environment (4); mask only from the environment
        assertEquals(Report.parse("[{\"verb\":\"EHLO\",\"tls\":false,\"reply\":250},"
                + "{\"verb\":\"MAIL\",\"arg\":\"FROM:<" + ItSupport.FROM + ">\",\"tls\":false,\"reply\":250}]"),
                line.path("commands"));
        assertEquals(3, line.path("commandsNotRecorded").asInt(-1), () -> "commandsNotRecorded: " + line);
    }
}
