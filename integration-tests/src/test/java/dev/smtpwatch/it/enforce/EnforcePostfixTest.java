package dev.smtpwatch.it.enforce;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import dev.smtpwatch.it.AgentRun;
import dev.smtpwatch.it.ItSupport;
import dev.smtpwatch.it.Report;
import dev.smtpwatch.it.SampleApp;
import dev.smtpwatch.it.cli.CliJar;
import dev.smtpwatch.it.postfix.PostfixServer;
import dev.smtpwatch.it.postfix.PostfixServer.Connection;
import dev.smtpwatch.it.postfix.PostfixServer.Listener;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.Paths;
import java.time.Duration;
import java.util.List;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;

/**
 * {@code enforce} against a real Postfix, whose log is the referee: a blocked AUTH never reaches it (no SASL
 * attempt, no {@code auth=} in the disconnect summary), an exempt host or a TLS session goes through untouched.
 * Every library line and Spring are run twice: STARTTLS required (unaffected) and STARTTLS merely enabled
 * against the listener without TLS (blocked with the library's own exception).
 */
@PostfixServer.Required
class EnforcePostfixTest {
    static final String ON_EVERYWHERE = "enforce=on,enforce.allow=none";
    static final Duration LOG_WAIT = Duration.ofSeconds(20);

    static PostfixServer server;

    @TempDir
    Path dir;

    @BeforeAll
    static void startPostfix() {
        server = PostfixServer.shared();
    }

    private Path report() {
        return dir.resolve("report.jsonl");
    }

    /** {@code app} sending one message with AUTH LOGIN to {@code listener}, STARTTLS as the test sets it. */
    private AgentRun send(SampleApp app, Listener listener) {
        AgentRun run = AgentRun.of(app)
                .property("mail.smtp.host", "localhost")
                .property("mail.smtp.port", server.port(listener))
                .property("mail.smtp.auth", "true")
                .property("mail.smtp.auth.mechanisms", "LOGIN")
                .property("mail.smtp.ssl.checkserveridentity", "true")
                .properties(ItSupport.TIMEOUTS)
                .property("sample.user", server.user())
                .property("sample.password", server.password())
                .property("sample.from", "sender@example.com")
                .property("sample.to", "recipient@example.org")
                .property("javax.net.ssl.trustStore", server.trustStore())
                .property("javax.net.ssl.trustStorePassword", server.trustStorePassword())
                .property("javax.net.ssl.trustStoreType", "PKCS12");
        if (app == SampleApp.JAVAX_MAIL_1_4) {
            // javax.mail 1.4 enables only TLSv1, which current JDKs refuse
            run.property("mail.smtp.ssl.protocols", "TLSv1.2 TLSv1.3");
        }
        return run;
    }

    private Connection onlyConnection(Listener listener, long mark, AgentRun.Result run) {
        List<Connection> logged = server.awaitConnections(listener, mark, 1, LOG_WAIT);
        List<Connection> all = server.connectionsSince(listener, mark);
        assertEquals(1, all.size(), () -> "Postfix connections: " + all + "\n" + run.describe());
        return logged.get(0);
    }

    /** The Postfix log of a connection that was closed without any credentials having arrived. */
    private static void assertNoSaslAttempt(Connection conn, AgentRun.Result run) {
        String context = conn + "\n" + String.join("\n", conn.lines()) + "\n" + run.describe();
        assertTrue(conn.disconnected(), () -> "the library closed the connection: " + context);
        assertEquals(0, conn.total("auth"), () -> "no AUTH reached Postfix: " + context);
        assertNull(conn.saslMethod(), () -> "no SASL login: " + context);
        assertTrue(conn.saslFailures().isEmpty(), () -> "no SASL attempt: " + context);
        assertEquals(0, conn.total("mail"), () -> "no MAIL reached Postfix: " + context);
        assertTrue(conn.queueIds().isEmpty(), () -> "nothing queued: " + context);
    }

    private void assertBlockedLine(JsonNode line, String id, AgentRun.Result run) {
        JsonNode finding = finding(line, id);
        assertTrue(finding.path("enforced").asBoolean(), () -> "enforced: " + line);
        assertEquals("failed", line.path("outcome").asText(), line::toString);
        assertEquals("blocked", line.at("/auth/outcome").asText(), line::toString);
        JsonNode lastCommand = line.path("commands").get(line.path("commands").size() - 1);
        assertEquals("AUTH", lastCommand.path("verb").asText(), line::toString);
        assertTrue(lastCommand.path("blocked").asBoolean(), line::toString);
        assertEquals(-1, lastCommand.path("reply").asInt(), line::toString);
        assertTrue(line.at("/error/message").asText().startsWith("smtpwatch blocked "), line::toString);
        String warn = "WARN smtpwatch [" + id + "] " + finding.path("message").asText() + " — fix: "
                + finding.path("fix").asText();
        assertTrue(run.stderrLines().contains(warn), () -> "WARN line " + warn + "\n" + run.describe());
        ItSupport.assertNoCredentials(run, report(), "LOGIN", server.user(), server.password());
    }

    private static JsonNode finding(JsonNode line, String id) {
        for (JsonNode f : line.path("findings")) {
            if (f.path("id").asText().equals(id)) {
                return f;
            }
        }
        throw new AssertionError("no " + id + " in " + line);
    }

    /** The legacy relay accepts AUTH in clear: with enforce, the credentials never reach it. */
    @Test
    void authInClearToTheLegacyRelayIsBlockedBeforePostfixSeesIt() {
        long mark = server.maillogMark();
        AgentRun.Result run = send(SampleApp.JAVAX_MAIL, Listener.LEGACY)
                .agentArgs("report=" + report() + ",otel=off," + ON_EVERYWHERE).run();

        int port = server.port(Listener.LEGACY);
        // the library wraps it in an AuthenticationFailedException of the same message (toString adds the cause)
        String message = "smtpwatch blocked cleartext-auth: credentials (AUTH LOGIN) would have gone to localhost:"
                + port + " without TLS because mail.smtp.starttls.enable is not set to true — fix: set"
                + " mail.smtp.starttls.enable=true and mail.smtp.starttls.required=true";
        assertTrue(ItSupport.failure(run).startsWith("javax.mail.AuthenticationFailedException: " + message + ";"),
                run::describe);
        assertEquals(message, Report.single(report()).at("/error/message").asText());
        assertNoSaslAttempt(onlyConnection(Listener.LEGACY, mark, run), run);
        JsonNode line = Report.single(report());
        assertBlockedLine(line, "cleartext-auth", run);
        assertEquals(List.of("EHLO", "AUTH"), ItSupport.field(line.path("commands"), "verb"), line::toString);
    }

    /** {@code enforce.allow} defaults to loopback: reported as ever, not blocked. */
    @Test
    void theDefaultAllowListReportsLoopbackWithoutBlocking() {
        long mark = server.maillogMark();
        AgentRun.Result run = send(SampleApp.ANGUS_MAIL, Listener.LEGACY)
                .agentArgs("report=" + report() + ",otel=off,enforce=on").run();

        ItSupport.assertSent(run, 1);
        Connection conn = onlyConnection(Listener.LEGACY, mark, run);
        assertEquals("LOGIN", conn.saslMethod(), conn::toString);
        JsonNode line = Report.single(report());
        JsonNode finding = finding(line, "cleartext-auth");
        assertFalse(finding.has("enforced"), line::toString);
        assertTrue(finding.path("message").asText().contains("were sent to localhost:"), line::toString);
        ItSupport.assertNoCredentials(run, report(), "LOGIN", server.user(), server.password());
    }

    /** Every library line and Spring, done right (STARTTLS required): enforce changes nothing. */
    @ParameterizedTest(name = "{0}")
    @EnumSource(SampleApp.class)
    void startTlsRequiredIsUnaffected(SampleApp app) {
        long mark = server.maillogMark();
        AgentRun.Result run = send(app, Listener.SUBMISSION)
                .property("mail.smtp.starttls.enable", "true")
                .property("mail.smtp.starttls.required", "true")
                .agentArgs("report=" + report() + ",otel=off," + ON_EVERYWHERE).run();

        boolean spring = app == SampleApp.SPRING_5 || app == SampleApp.SPRING_BOOT;
        assertEquals(0, run.exitCode(), run::describe);
        assertTrue(run.stdoutLines().contains("sample app: sent " + (spring ? 2 : 1) + " message(s)"), run::describe);
        List<Connection> logged = server.awaitConnections(Listener.SUBMISSION, mark, spring ? 2 : 1, LOG_WAIT);
        for (Connection conn : logged) {
            assertEquals("LOGIN", conn.saslMethod(), conn::toString);
        }
        for (JsonNode line : Report.read(report())) {
            line.path("findings").forEach(f -> assertFalse(f.has("enforced"), line::toString));
            line.path("commands").forEach(c -> assertFalse(c.has("blocked"), line::toString));
        }
        ItSupport.assertNoCredentials(run, report(), "LOGIN", server.user(), server.password());
    }

    /**
     * STARTTLS enabled, not required, against the listener without TLS: the first AUTH is the downgrade, blocked
     * with the library's own exception (Spring wraps it as it wraps any authentication failure).
     */
    @ParameterizedTest(name = "{0}")
    @EnumSource(SampleApp.class)
    void aDowngradeIsBlockedOnEveryLine(SampleApp app) {
        long mark = server.maillogMark();
        AgentRun.Result run = send(app, Listener.NOTLS)
                .property("mail.smtp.starttls.enable", "true")
                .agentArgs("report=" + report() + ",otel=off," + ON_EVERYWHERE).run();

        String failure = ItSupport.failure(run);
        String expected = switch (app) {
            case SPRING_5, SPRING_BOOT -> "org.springframework.mail.MailAuthenticationException: ";
            default -> app.apiClass("AuthenticationFailedException") + ": smtpwatch blocked starttls-downgrade: ";
        };
        assertTrue(failure.startsWith(expected), () -> "expected " + expected + "\n" + run.describe());
        assertNoSaslAttempt(onlyConnection(Listener.NOTLS, mark, run), run);
        JsonNode line = Report.single(report());
        assertBlockedLine(line, "starttls-downgrade", run);
        assertTrue(finding(line, "cleartext-auth").path("enforced").asBoolean(), line::toString);
        assertTrue(line.at("/error/message").asText().startsWith("smtpwatch blocked starttls-downgrade: localhost:"
                + server.port(Listener.NOTLS) + " did not offer STARTTLS and the client was about to send"
                + " credentials in plaintext"), line::toString);
    }

    /** The agent attached to a running app ({@code attach <pid> enforce=on,…}) blocks as {@code -javaagent} does. */
    @Test
    void attachedAtRuntimeItBlocksToo() throws Exception {
        Path signal = dir.resolve("go");
        Path ready = Paths.get(signal + ".ready");
        AgentRun.Started app = send(SampleApp.ANGUS_MAIL, Listener.LEGACY).withoutAgent()
                .mainClass("dev.smtpwatch.sample.jakartamail.UsagePatterns")
                .property("sample.pattern", "connect-user-password")
                .property("sample.startSignal", signal.toAbsolutePath()).start();
        long deadline = System.nanoTime() + Duration.ofSeconds(30).toNanos();
        while (!Files.exists(ready) && System.nanoTime() < deadline) {
            Thread.sleep(20);
        }
        assertTrue(Files.exists(ready), "the app never got ready");
        CliJar.Result attach = CliJar.run(dir, "attach", Long.toString(app.pid()),
                "report=" + report().toAbsolutePath() + ",otel=off," + ON_EVERYWHERE);
        assertEquals(0, attach.exitCode(), attach::toString);
        long mark = server.maillogMark();
        Files.write(signal, new byte[0]);
        AgentRun.Result run = app.await();

        assertTrue(ItSupport.failure(run).startsWith("jakarta.mail.AuthenticationFailedException: smtpwatch blocked"
                + " cleartext-auth: "), run::describe);
        assertNoSaslAttempt(onlyConnection(Listener.LEGACY, mark, run), run);
        assertBlockedLine(Report.single(report()), "cleartext-auth", run);
    }

    /** {@code JAVA_TOOL_OPTIONS=-javaagent:…=enforce=on,…}: the way a container image turns it on. */
    @Test
    void throughJavaToolOptionsItBlocksToo() {
        long mark = server.maillogMark();
        AgentRun.Result run = send(SampleApp.JAKARTA_MAIL_2_0, Listener.LEGACY).withoutAgent()
                .env("JAVA_TOOL_OPTIONS", "-javaagent:" + AgentRun.agentJar() + "=report=" + report()
                        + ",otel=off," + ON_EVERYWHERE)
                .run();

        assertTrue(ItSupport.failure(run).startsWith("jakarta.mail.AuthenticationFailedException: smtpwatch blocked"
                + " cleartext-auth: "), run::describe);
        assertNoSaslAttempt(onlyConnection(Listener.LEGACY, mark, run), run);
        assertBlockedLine(Report.single(report()), "cleartext-auth", run);
    }
}
