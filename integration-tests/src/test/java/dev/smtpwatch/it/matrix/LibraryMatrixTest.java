package dev.smtpwatch.it.matrix;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import dev.smtpwatch.it.AgentRun;
import dev.smtpwatch.it.Report;
import dev.smtpwatch.it.SampleApp;
import dev.smtpwatch.it.postfix.PostfixServer;
import dev.smtpwatch.it.postfix.PostfixServer.Connection;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.Paths;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.Map;
import java.util.stream.Stream;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.Assumptions;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;
import org.opentest4j.TestAbortedException;

/**
 * Every library line × every {@link Scenario} × JDK 17 and 25, each a sample app in its own JVM with the agent,
 * against the real Postfix of {@link PostfixServer}; Postfix's log is the referee of every report line
 * ({@link Referee}). Writes {@code target/compatibility.md} and, with {@code -Dsmtpwatch.it.writeCompatibility=true}
 * after a full run, {@code docs/compatibility.md}.
 */
@PostfixServer.Required
class LibraryMatrixTest {
    static final String WRITE_DOCS_PROPERTY = "smtpwatch.it.writeCompatibility";
    static final String FROM = "sender@example.com";
    static final String TO = "recipient@example.org";
    static final Duration LOG_WAIT = Duration.ofSeconds(15);
    static final Duration RUN_TIMEOUT = Duration.ofSeconds(60);

    /** What javax.mail 1.4.7 needs to speak TLS on a current JDK at all. */
    static final String JAVAX_MAIL_1_4_PROTOCOLS = "TLSv1.2 TLSv1.3";

    static PostfixServer server;
    static final CompatibilityTable TABLE = new CompatibilityTable();
    static long startedNanos;

    @BeforeAll
    static void startPostfix() {
        startedNanos = System.nanoTime();
        server = PostfixServer.shared();
    }

    @AfterAll
    static void writeTable() {
        long seconds = (System.nanoTime() - startedNanos) / 1_000_000_000L;
        Path target = workDir().resolve("compatibility.md");
        TABLE.write(target);
        System.out.println("library matrix: " + TABLE.count(CompatibilityTable.Status.PASSED) + " passed, "
                + TABLE.count(CompatibilityTable.Status.FAILED) + " failed, "
                + TABLE.count(CompatibilityTable.Status.SKIPPED) + " skipped in " + seconds + " s; table: " + target);
        if (Boolean.getBoolean(WRITE_DOCS_PROPERTY)) {
            if (!TABLE.complete()) {
                System.out.println("library matrix: not all cells ran, docs/compatibility.md left as it is");
            } else {
                Path docs = Paths.get(System.getProperty("user.dir")).resolve("../docs/compatibility.md").normalize();
                TABLE.write(docs);
                System.out.println("library matrix: wrote " + docs);
            }
        }
    }

    static Path workDir() {
        String configured = System.getProperty("smtpwatch.it.workDir");
        Path it = configured != null && !configured.isBlank() ? Paths.get(configured) : Paths.get("target", "it");
        return it.resolve("matrix");
    }

    static Stream<Arguments> cells() {
        List<Arguments> cells = new ArrayList<>();
        for (Jdk jdk : Jdk.values()) {
            for (SampleApp app : SampleApp.values()) {
                for (Scenario scenario : Scenario.values()) {
                    cells.add(Arguments.of(jdk, app, scenario));
                }
            }
        }
        return cells.stream();
    }

    @ParameterizedTest(name = "{0} {1} {2}")
    @MethodSource("cells")
    void scenario(Jdk jdk, SampleApp app, Scenario scenario) throws Exception {
        long t0 = System.nanoTime();
        try {
            if (!jdk.available()) {
                if (PostfixServer.required()) {
                    throw new AssertionError(PostfixServer.REQUIRE_ENV + " is set (CI) but there is "
                            + jdk.unavailableReason());
                }
                Assumptions.abort(jdk.unavailableReason());
            }
            run(jdk, app, scenario);
            TABLE.record(jdk, app, scenario, CompatibilityTable.Status.PASSED, null, millisSince(t0));
        } catch (TestAbortedException e) {
            TABLE.record(jdk, app, scenario, CompatibilityTable.Status.SKIPPED, e.getMessage(), millisSince(t0));
            throw e;
        } catch (Throwable e) {
            TABLE.record(jdk, app, scenario, CompatibilityTable.Status.FAILED, String.valueOf(e.getMessage()),
                    millisSince(t0));
            throw e;
        }
    }

    private static long millisSince(long t0) {
        return (System.nanoTime() - t0) / 1_000_000;
    }

    private void run(Jdk jdk, SampleApp app, Scenario scenario) throws IOException {
        Path report = workDir().resolve(jdk.name()).resolve(app.name()).resolve(scenario.name() + ".jsonl");
        Files.createDirectories(report.getParent());
        Files.deleteIfExists(report);
        int port = server.port(scenario.listener);

        AgentRun agentRun = AgentRun.of(app)
                .javaHome(jdk.home())
                .agentArgs("report=" + report + ",otel=off")
                .timeout(RUN_TIMEOUT)
                // com.sun.mail checks the server identity against DNS names only: connect by name
                .property("mail.smtp.host", "localhost")
                .property("mail.smtp.port", port)
                .property("mail.smtp.auth", "true")
                .property("mail.smtp.ssl.checkserveridentity", "true")
                .property("mail.smtp.connectiontimeout", Scenario.DEFAULT_TIMEOUT_MS)
                .property("mail.smtp.timeout", Scenario.DEFAULT_TIMEOUT_MS)
                .property("mail.smtp.writetimeout", Scenario.DEFAULT_TIMEOUT_MS)
                .property("sample.user", server.user())
                .property("sample.password", server.password())
                .property("sample.from", FROM)
                .property("sample.to", TO);
        if (app == SampleApp.JAVAX_MAIL_1_4) {
            // javax.mail 1.4.x enables only TLSv1 unless told otherwise, and JDK 17/25 disable TLSv1: without this
            // every handshake fails with "No appropriate protocol" (the agent says protocol-version)
            agentRun.property("mail.smtp.ssl.protocols", JAVAX_MAIL_1_4_PROTOCOLS);
        }
        for (Map.Entry<String, String> setting : scenario.settings.entrySet()) {
            agentRun.property(setting.getKey(), setting.getValue());
        }
        if (scenario.trustTestCa) {
            agentRun.property("javax.net.ssl.trustStore", server.trustStore())
                    .property("javax.net.ssl.trustStorePassword", server.trustStorePassword())
                    .property("javax.net.ssl.trustStoreType", "PKCS12");
        }

        long mark = server.maillogMark();
        AgentRun.Result result = agentRun.run();

        // The app: sent, or failed with the library's exception.
        boolean twoSends = app == SampleApp.SPRING_5 || app == SampleApp.SPRING_BOOT;
        int connections;
        if (scenario.outcome == Scenario.Outcome.SENT) {
            assertEquals(0, result.exitCode(), result::describe);
            int messages = twoSends ? 2 : 1;
            assertTrue(result.stdoutLines().contains("sample app: sent " + messages + " message(s)"),
                    result::describe);
            connections = twoSends ? 2 : 1; // Spring opens a connection per send call
        } else {
            assertEquals(1, result.exitCode(), result::describe);
            assertTrue(result.stderr().contains("sample app: sending failed: "), result::describe);
            connections = 1;
        }
        assertNoSecret(result, report);

        List<JsonNode> lines = Report.read(report);
        assertEquals(connections, lines.size(), () -> "report lines: " + lines + "\n" + result.describe());
        List<Connection> logged = server.awaitConnections(scenario.listener, mark, connections, LOG_WAIT);
        List<Connection> all = server.connectionsSince(scenario.listener, mark);
        assertEquals(connections, all.size(), () -> "Postfix connections since the run started: " + all);

        for (int i = 0; i < connections; i++) {
            JsonNode line = lines.get(i);
            Connection conn = logged.get(i);
            String context = "\nreport line: " + line + "\nPostfix: " + conn + "\n" + String.join("\n", conn.lines())
                    + "\n" + result.describe();
            assertLine(app, port, scenario, line, context);
            if (scenario == Scenario.WRONG_HOST_CERTIFICATE) {
                // com.sun.mail checks the name after the handshake (Postfix: TLS established, then lost
                // connection); Angus 2 inside it, through the JDK's endpoint identification (alert 46)
                boolean afterHandshake = !app.transportClass().startsWith("org.eclipse.angus.");
                assertEquals(afterHandshake, conn.tlsProtocol() != null, () -> "where the name was checked" + context);
            }
            List<String> disagreements = Referee.disagreements(line, conn);
            assertTrue(disagreements.isEmpty(), () -> "the report disagrees with Postfix's log: " + disagreements
                    + context);
        }
    }

    private static void assertLine(SampleApp app, int port, Scenario scenario, JsonNode line, String context) {
        assertEquals(app.libraryName(), line.at("/library/name").asText(null), () -> "library.name" + context);
        assertEquals(app.libraryVersion(), line.at("/library/version").asText(null),
                () -> "library.version" + context);
        assertEquals("localhost", line.at("/server/address").asText(null), () -> "server.address" + context);
        assertEquals(port, line.at("/server/port").asInt(), () -> "server.port" + context);
        assertEquals(scenario.outcome.reportValue, line.path("outcome").asText(), () -> "outcome" + context);
        assertEquals(scenario.tlsMode, line.at("/tls/mode").asText(), () -> "tls.mode" + context);
        assertEquals(scenario.tlsEstablished, line.at("/tls/established").asBoolean(),
                () -> "tls.established" + context);
        if (scenario.verbs != null) {
            List<String> verbs = new ArrayList<>();
            line.path("commands").forEach(c -> verbs.add(c.path("verb").asText()));
            assertEquals(scenario.verbs, verbs, () -> "command verbs" + context);
        }
        if (scenario == Scenario.PLAINTEXT_ON_IMPLICIT) {
            assertEquals(-1, line.path("greeting").asInt(-1), () -> "greeting" + context);
        } else if (scenario != Scenario.IMPLICIT_ON_SUBMISSION) {
            assertEquals(220, line.path("greeting").asInt(), () -> "greeting" + context);
        }
        List<String> findings = new ArrayList<>();
        for (JsonNode f : line.path("findings")) {
            String id = f.path("id").asText();
            findings.add(f.has("detail") ? id + ":" + f.path("detail").asText() : id);
        }
        Collections.sort(findings);
        assertEquals(scenario.findings, findings, () -> "finding ids" + context);
    }

    /** The SASL password (the harness's canary) is nowhere in the report or the app's output. */
    private static void assertNoSecret(AgentRun.Result result, Path report) {
        String canary = PostfixServer.CANARY_PASSWORD;
        assertFalse(result.stdout().contains(canary) || result.stderr().contains(canary), "password in the output");
        if (Files.exists(report)) {
            assertFalse(Report.text(report).contains(canary), "password in the report");
        }
    }
}
