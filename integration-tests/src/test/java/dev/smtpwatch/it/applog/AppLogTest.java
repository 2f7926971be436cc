package dev.smtpwatch.it.applog;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import dev.smtpwatch.it.AgentRun;
import dev.smtpwatch.it.ItSupport;
import dev.smtpwatch.it.Report;
import dev.smtpwatch.it.SampleApp;
import dev.smtpwatch.it.postfix.PostfixServer;
import dev.smtpwatch.it.postfix.PostfixServer.Listener;
import java.net.URISyntaxException;
import java.nio.file.Path;
import java.nio.file.Paths;
import java.util.List;
import java.util.regex.Pattern;
import java.util.stream.Collectors;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * {@code log=app}: the finding lines appear in the app's own log, in its own format, and not as the agent's
 * {@code WARN smtpwatch} stderr lines (java.util.logging with handlers:
 * {@code dev.smtpwatch.it.otel.TraceLinkageTest}, an app that lives on after sending). Each app sends through the
 * real Postfix (STARTTLS required, AUTH) without timeouts, which earns {@code timeouts-unset}; the password never
 * shows in any output.
 */
@PostfixServer.Required
class AppLogTest {
    private static final String AGENT_LINE = "WARN smtpwatch [timeouts-unset]";
    private static PostfixServer postfix;

    @TempDir
    Path dir;

    @BeforeAll
    static void startPostfix() {
        postfix = PostfixServer.shared();
    }

    private Path report() {
        return dir.resolve("report.jsonl");
    }

    /** STARTTLS + AUTH against the submission listener, no timeouts; the app's settings named as it reads them. */
    private AgentRun submission(AgentRun run) {
        return run.agentArgs("report=" + report() + ",otel=off,log=app")
            .property("mail.smtp.host", "localhost")
            .property("mail.smtp.port", postfix.port(Listener.SUBMISSION))
            .property("mail.smtp.auth", "true")
            .property("mail.smtp.starttls.enable", "true")
            .property("mail.smtp.starttls.required", "true")
            .property("javax.net.ssl.trustStore", postfix.trustStore())
            .property("javax.net.ssl.trustStorePassword", postfix.trustStorePassword())
            .property("javax.net.ssl.trustStoreType", "PKCS12")
            .property("sample.user", postfix.user())
            .property("sample.password", postfix.password())
            .property("sample.from", "sender@example.com")
            .property("sample.to", "recipient@example.org");
    }

    private static List<String> linesWith(List<String> lines, String text) {
        return lines.stream().filter(l -> l.contains(text)).collect(Collectors.toList());
    }

    private void assertNoPassword(AgentRun.Result run) {
        ItSupport.assertNoCredentials(run, report(), "AUTH", postfix.user(), postfix.password());
    }

    @Test
    void springBootShowsTheWarningInItsConsoleFormat() {
        AgentRun.Result run = submission(AgentRun.of(SampleApp.SPRING_BOOT)).run();

        assertEquals(0, run.exitCode(), run::describe);
        // e.g. 2026-12-03T02:40:11.123Z  WARN 4242 --- [pwatch-export] smtpwatch   : [timeouts-unset] ...
        Pattern boot = Pattern.compile("^\\S+\\s+WARN \\d+ --- (\\[[^]]*\\] )?\\[[^]]*] smtpwatch\\s+: "
            + "\\[timeouts-unset] .* — fix: .*");
        List<String> warnings = linesWith(run.stdoutLines(), "[timeouts-unset]");
        // two sends, two connections, the same cause: the repeat is held back, as on stderr
        assertEquals(1, warnings.size(), run::describe);
        for (String line : warnings) {
            assertTrue(boot.matcher(line).matches(), "Boot's console format: " + line);
        }
        assertTrue(linesWith(run.stderrLines(), AGENT_LINE).isEmpty(), run::describe);
        assertNoPassword(run);
    }

    /**
     * SLF4J 1.7 with Logback 1.2, the pair of most apps written before 2022: SLF4J finds Logback through its
     * {@code StaticLoggerBinder} (there are no providers before 2.0), and Logback without a configuration file
     * prints to stdout in its basic layout.
     */
    @Test
    void slf4j17WithLogback12ShowsTheWarningInLogbacksLayout() {
        AgentRun.Result run = submission(AgentRun.of(SampleApp.JAVAX_MAIL))
            .mainClass("dev.smtpwatch.sample.javaxmail.SendMail")
            .classPath(ItSupport.appLibrary("slf4j-api-1.7.jar"), ItSupport.appLibrary("logback-classic-1.2.jar"),
                ItSupport.appLibrary("logback-core-1.2.jar"))
            .property("sample.messages", 1)
            .run();

        assertEquals(0, run.exitCode(), run::describe);
        // e.g. 02:40:11.123 [smtpwatch-export] WARN smtpwatch - [timeouts-unset] ...
        Pattern basic = Pattern.compile("^\\d\\d:\\d\\d:\\d\\d\\.\\d{3} \\[smtpwatch-export] WARN +smtpwatch - "
            + "\\[timeouts-unset] .* — fix: .*");
        List<String> warnings = linesWith(run.stdoutLines(), "[timeouts-unset]");
        assertEquals(1, warnings.size(), run::describe);
        assertTrue(basic.matcher(warnings.get(0)).matches(), "Logback's basic layout: " + warnings.get(0));
        assertTrue(linesWith(run.stderrLines(), AGENT_LINE).isEmpty(), run::describe);
        assertNoPassword(run);
    }

    @Test
    void anAppThatSwitchedItsLoggingOffGetsTheLinesOnStderrAndOnceWhy() throws URISyntaxException {
        AgentRun.Result run = submission(AgentRun.of(SampleApp.ANGUS_MAIL))
            .property("java.util.logging.config.file", resource("jul-no-handlers.properties"))
            .property("sample.messages", 1)
            .run();

        assertEquals(0, run.exitCode(), run::describe);
        assertEquals(1, linesWith(run.stderrLines(), "log=app: the app has no logging").size(), run::describe);
        assertEquals(1, linesWith(run.stderrLines(), AGENT_LINE).size(), run::describe);
        assertNoPassword(run);
    }

    /**
     * Log4j 2 without SLF4J, configured to mail every WARN and ERROR through its SMTP appender: the app logs an
     * ERROR (the first mail); the agent's warnings about that mail are logged (console, and one mail each), and
     * those mails' own findings are not logged through the app again (no loop): they go to stderr, marked. Every
     * mail after the first is one of the agent's lines, so the sessions are exactly one more than the agent's
     * lines in the app's log.
     */
    @Test
    void log4jWithAnSmtpAppenderMailsTheWarningOnceAndDoesNotLoop() throws URISyntaxException {
        Path jar = Paths.get(System.getProperty("smtpwatch.it.wrappersJavaxApp",
            "../sample-apps/wrappers-javax/target/app.jar"));
        AgentRun.Result run = submission(AgentRun.ofJar(jar))
            .property("sample.wrapper", "log4j")
            .property("sample.lingerMs", 5000)
            .property("log4j2.configurationFile", resource("log4j2-smtp-warn.xml"))
            .run();

        assertEquals(0, run.exitCode(), run::describe);
        List<String> appLog = linesWith(run.stdoutLines(), "APPLOG WARN smtpwatch [smtpwatch-export] [");
        assertFalse(appLog.isEmpty(), "the warning about the app's mail is in the app's log:\n" + run.describe());
        List<JsonNode> sessions = Report.read(report());
        assertEquals(appLog.size() + 1, sessions.size(), "one mail per smtpwatch line, none more:\n" + run.describe());
        for (JsonNode session : sessions) {
            assertEquals("sent", session.path("outcome").asText(), session::toString);
        }
        assertEquals(1, linesWith(run.stderrLines(), "INFO smtpwatch log=app: the app's logging sent mail").size(),
            run::describe);
        assertNoPassword(run);
    }

    private static String resource(String name) throws URISyntaxException {
        return Paths.get(AppLogTest.class.getResource("/applog/" + name).toURI()).toString();
    }
}
