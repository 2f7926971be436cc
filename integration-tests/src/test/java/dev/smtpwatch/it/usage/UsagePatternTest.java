package dev.smtpwatch.it.usage;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import dev.smtpwatch.it.AgentRun;
import dev.smtpwatch.it.ItSupport;
import dev.smtpwatch.it.Report;
import dev.smtpwatch.it.SampleApp;
import dev.smtpwatch.it.cli.CliJar;
import dev.smtpwatch.it.postfix.PostfixServer;
import dev.smtpwatch.it.postfix.PostfixServer.Listener;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.Paths;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;
import java.util.stream.Stream;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.Assumptions;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

/**
 * Every way real apps call the library ({@link UsagePattern}) × the library lines, each an unmodified app in its
 * own JVM with the agent, against the real Postfix with STARTTLS required and a trusted certificate. Postfix's log
 * referees every run ({@link ConnectionReferee}): as many report lines as connections, the same messages per
 * connection, and no finding at medium or above that the line does not expect — the "no false positive" gate.
 * Two patterns also run with the agent attached at runtime instead of {@code -javaagent}. Writes the table of
 * Postfix connections against report lines to {@code target/it/usage/usage-patterns.md}.
 */
@PostfixServer.Required
class UsagePatternTest {
    static final String TIMEOUT_MS = "20000";
    static final String WRONG_PASSWORD = "not-the-password";
    static final List<SampleApp> LINES = List.of(SampleApp.JAVAX_MAIL, SampleApp.JAKARTA_MAIL_2_0,
            SampleApp.ANGUS_MAIL, SampleApp.JAVAX_MAIL_1_4);

    static PostfixServer server;
    static final Map<String, String> TABLE = new TreeMap<>();

    @BeforeAll
    static void startPostfix() {
        server = PostfixServer.shared();
    }

    @AfterAll
    static void writeTable() throws IOException {
        Path table = workDir().resolve("usage-patterns.md");
        Files.createDirectories(table.getParent());
        List<String> rows = new ArrayList<>();
        rows.add("| pattern | library line | how attached | Postfix connections | report lines | messages per connection (Postfix / report) |");
        rows.add("|---|---|---|---|---|---|");
        rows.addAll(TABLE.values());
        Files.write(table, rows);
        System.out.println("usage patterns: " + TABLE.size() + " runs refereed; table: " + table);
    }

    static Path workDir() {
        return ItSupport.workDir().resolve("usage");
    }

    /**
     * What a clean session may still report at medium or above on this line: com.sun.mail (javax.mail 1.4/1.6,
     * jakarta.mail 2.0) does not check the server's identity unless told to, so the agent rightly says
     * {@code hostname-verification-off}; Angus 2 checks it by default.
     */
    static Set<String> expectedOnCleanSession(SampleApp line) {
        return line == SampleApp.ANGUS_MAIL ? Set.of() : Set.of("hostname-verification-off");
    }

    static Stream<Arguments> cells() {
        List<Arguments> cells = new ArrayList<>();
        for (UsagePattern pattern : UsagePattern.values()) {
            for (SampleApp line : LINES) {
                cells.add(Arguments.of(pattern, line));
            }
        }
        return cells.stream();
    }

    @ParameterizedTest(name = "({0}) {1}")
    @MethodSource("cells")
    void withJavaagent(UsagePattern pattern, SampleApp line) throws IOException {
        Path report = reportFile(pattern, line, "javaagent");
        AgentRun run = patternRun(pattern, line).agentArgs("report=" + report + ",otel=off");
        long mark = server.maillogMark();
        AgentRun.Result result = run.run();
        if (result.exitCode() == 3) {
            Assumptions.abort(result.stdout().trim()); // javax.mail 1.4 has no Transport.send(msg, user, password)
        }
        judge(pattern, line, "-javaagent", report, mark, result);
    }

    static Stream<Arguments> attachCells() {
        List<Arguments> cells = new ArrayList<>();
        for (UsagePattern pattern : List.of(UsagePattern.STATIC_SEND_AUTHENTICATOR, UsagePattern.REUSED_TRANSPORT)) {
            for (SampleApp line : List.of(SampleApp.JAVAX_MAIL, SampleApp.ANGUS_MAIL)) {
                cells.add(Arguments.of(pattern, line));
            }
        }
        return cells.stream();
    }

    /** The app starts without the agent, {@code attach <pid>} loads it, then the app sends. */
    @ParameterizedTest(name = "attach ({0}) {1}")
    @MethodSource("attachCells")
    void withAttach(UsagePattern pattern, SampleApp line) throws Exception {
        Path report = reportFile(pattern, line, "attach");
        Path signal = report.resolveSibling(report.getFileName() + ".go");
        Path ready = Paths.get(signal + ".ready");
        Files.deleteIfExists(signal);
        Files.deleteIfExists(ready);
        AgentRun.Started app = patternRun(pattern, line).withoutAgent()
                .property("sample.startSignal", signal.toAbsolutePath()).start();
        long deadline = System.nanoTime() + Duration.ofSeconds(30).toNanos();
        while (!Files.exists(ready) && System.nanoTime() < deadline) {
            Thread.sleep(20);
        }
        assertTrue(Files.exists(ready), "the app never got ready");
        CliJar.Result attach = CliJar.run(Files.createDirectories(workDir()), "attach", Long.toString(app.pid()),
                "report=" + report.toAbsolutePath() + ",otel=off");
        assertEquals(0, attach.exitCode(), attach::toString);
        long mark = server.maillogMark();
        Files.write(signal, new byte[0]);
        judge(pattern, line, "attach", report, mark, app.await());
    }

    private static void judge(UsagePattern pattern, SampleApp line, String how, Path report, long mark,
            AgentRun.Result result) {
        if (pattern.sends) {
            assertEquals(0, result.exitCode(), result::describe);
            assertTrue(result.stdoutLines().contains("sample app: sent " + pattern.messages() + " message(s)"),
                    result::describe);
        } else {
            assertEquals(1, result.exitCode(), result::describe);
        }
        ItSupport.assertNoCredentials(result, report, "AUTH", server.user(), server.password());
        Set<String> expected = expectedOnCleanSession(line);
        ConnectionReferee.Tally tally = ConnectionReferee.judge(server, pattern.listener, mark, report,
                pattern.connections(), expected, result);
        if (!pattern.sends) {
            JsonNode failed = Report.single(report);
            assertEquals("failed", failed.path("outcome").asText(), failed::toString);
            assertTrue(ItSupport.findingIds(failed).contains("auth-failed"), failed::toString);
        }
        for (JsonNode session : Report.read(report)) {
            assertTrue(session.at("/config/credentials").asBoolean(), () -> "credentials given: " + session);
            assertEquals("LOGIN", session.at("/auth/mechanism").asText(), () -> "AUTH happened: " + session);
        }
        TABLE.put(pattern.name() + line.ordinal() + how, "| (" + pattern.letter + ") " + pattern.description + " | "
                + line.libraryName() + " " + line.libraryVersion() + " | " + how + " | " + tally.postfixConnections()
                + " | " + tally.reportLines() + " | " + tally.postfixMessages() + " / " + tally.reportMessages()
                + " |");
    }

    private static Path reportFile(UsagePattern pattern, SampleApp line, String how) throws IOException {
        Path report = workDir().resolve(how).resolve(line.name()).resolve(pattern.name() + ".jsonl");
        Files.createDirectories(report.getParent());
        Files.deleteIfExists(report);
        return report;
    }

    private static AgentRun patternRun(UsagePattern pattern, SampleApp line) {
        String prefix = "mail." + pattern.protocol + ".";
        String namespace = line.apiClass("").startsWith("javax.") ? "javaxmail" : "jakartamail";
        AgentRun run = AgentRun.ofJar(line.jar())
                .mainClass("dev.smtpwatch.sample." + namespace + ".UsagePatterns")
                .property("sample.pattern", pattern.appPattern)
                .property("mail.transport.protocol", pattern.protocol)
                // com.sun.mail checks the server identity against DNS names only: connect by name
                .property(prefix + "host", "localhost")
                .property(prefix + "port", server.port(pattern.listener))
                .property(prefix + "auth", "true")
                .property(prefix + "connectiontimeout", TIMEOUT_MS)
                .property(prefix + "timeout", TIMEOUT_MS)
                .property(prefix + "writetimeout", TIMEOUT_MS)
                .property("sample.user", server.user())
                .property("sample.password", pattern.sends ? server.password() : WRONG_PASSWORD)
                .property("sample.from", "sender@example.com")
                .property("sample.to", "recipient@example.org")
                .property("javax.net.ssl.trustStore", server.trustStore())
                .property("javax.net.ssl.trustStorePassword", server.trustStorePassword())
                .property("javax.net.ssl.trustStoreType", "PKCS12");
        if (!pattern.listener.implicitTls()) {
            run.property(prefix + "starttls.enable", "true").property(prefix + "starttls.required", "true");
        }
        if (line == SampleApp.JAVAX_MAIL_1_4) {
            // javax.mail 1.4 enables only TLSv1, which current JDKs refuse
            run.property(prefix + "ssl.protocols", "TLSv1.2 TLSv1.3");
        }
        return run;
    }

    /** The ways of sending the issue lists, (a) to (k), as {@code UsagePatterns} implements them. */
    enum UsagePattern {
        STATIC_SEND_AUTHENTICATOR('a', "static Transport.send(msg), Authenticator on the Session",
                "static-send-authenticator", 1, 1),
        STATIC_SEND_CREDENTIALS('b', "Transport.send(msg, user, password)", "static-send-credentials", 1, 1),
        CONNECT_AUTHENTICATOR('c', "getTransport() + connect(), Authenticator", "connect-authenticator", 1, 1),
        CONNECT_USER_PASSWORD('d', "connect(user, password)", "connect-user-password", 1, 1),
        CONNECT_HOST_PORT('e', "connect(host, port, user, password)", "connect-host-port", 1, 1),
        REUSED_TRANSPORT('f', "one Transport, three messages", "reused-transport", 1, 3),
        RECONNECT('g', "connect, close, connect again on one Transport", "reconnect", 2, 1),
        SMTPS('h', "getTransport(\"smtps\") to the implicit-TLS port", "connect-user-password", 1, 1),
        WRONG_PASSWORD('i', "a wrong password", "connect-user-password", 1, 0),
        DEFAULT_INSTANCE('j', "Session.getDefaultInstance with an Authenticator", "default-instance", 1, 1),
        THREADS('k', "three threads sharing one Session", "threads-sharing-session", 3, 1);

        final char letter;
        final String description;
        final String appPattern;
        final int connections;
        final int messagesPerConnection;
        final boolean sends;
        final Listener listener;
        final String protocol;

        UsagePattern(char letter, String description, String appPattern, int connections, int messagesPerConnection) {
            this.letter = letter;
            this.description = description;
            this.appPattern = appPattern;
            this.connections = connections;
            this.messagesPerConnection = messagesPerConnection;
            this.sends = messagesPerConnection > 0;
            this.listener = letter == 'h' ? Listener.IMPLICIT : Listener.SUBMISSION;
            this.protocol = letter == 'h' ? "smtps" : "smtp";
        }

        int connections() {
            return connections;
        }

        int messages() {
            return connections * messagesPerConnection;
        }

        @Override
        public String toString() {
            return letter + ": " + description;
        }
    }
}
