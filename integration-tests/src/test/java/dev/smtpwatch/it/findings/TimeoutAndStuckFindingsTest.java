package dev.smtpwatch.it.findings;

import static dev.smtpwatch.it.ItSupport.assertCommonFields;
import static dev.smtpwatch.it.ItSupport.assertSent;
import static dev.smtpwatch.it.ItSupport.findingIds;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import dev.smtpwatch.it.AgentRun;
import dev.smtpwatch.it.ItSupport;
import dev.smtpwatch.it.Report;
import dev.smtpwatch.it.SampleApp;
import dev.smtpwatch.testserver.ScriptedSmtpServer;
import dev.smtpwatch.testserver.TestPki;
import dev.smtpwatch.testserver.TlsMode;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.regex.Pattern;
import java.util.stream.Collectors;
import org.junit.jupiter.api.Test;

/**
 * timeouts-unset and session-stuck. The stuck sessions are scripted (a real server does not hang on demand): one
 * server never greets and the app has no timeouts, so the test itself ends the wait by closing the server once the
 * agent has warned; the other never answers the end of DATA and the app's read timeout ends it. The near misses are
 * the same sessions with the timeouts set ({@link CleanSessionTest} and {@code PostfixFindingsTest}, whose runs all
 * set them) and a watchdog threshold the session stays under.
 */
class TimeoutAndStuckFindingsTest extends FindingsTestBase {
    private static final String STUCK_WARNING = "WARN smtpwatch [session-stuck] ";
    private static final Duration WARNING_WAIT = Duration.ofSeconds(30);

    private static ScriptedSmtpServer.Builder cleanServer() {
        return tlsServer(TlsMode.STARTTLS_REQUIRED, TestPki.Cert.LOCALHOST);
    }

    private static AgentRun withoutTimeouts(AgentRun run) {
        ItSupport.TIMEOUTS.keySet().forEach(run::withoutProperty);
        return run;
    }

    @Test
    void noTimeoutsAtAllNamesTheThreeKeys() throws Exception {
        try (ScriptedSmtpServer server = cleanServer().start()) {
            AgentRun.Result run = withoutTimeouts(startTlsRequired(send(SampleApp.ANGUS_MAIL, server))).run();
            assertSent(run, 1);
            JsonNode line = judged(run, SampleApp.ANGUS_MAIL, server.port());
            assertIds(line, "timeouts-unset");
            JsonNode finding = assertFinding(line, "timeouts-unset", "medium", server.port(),
                    "set mail.smtp.connectiontimeout=10000, mail.smtp.timeout=30000 and mail.smtp.writetimeout=30000");
            assertTrue(finding.path("message").asText().contains("left mail.smtp.connectiontimeout, mail.smtp.timeout"
                    + " and mail.smtp.writetimeout unset or 0"), finding::toString);
        }
    }

    /** The smtps transport reads mail.smtps.*: timeouts set under mail.smtp.* do nothing there. */
    @Test
    void anSmtpsTransportIgnoresTheMailSmtpTimeouts() throws Exception {
        try (ScriptedSmtpServer server = tlsServer(TlsMode.IMPLICIT, TestPki.Cert.LOCALHOST).start()) {
            AgentRun.Result run = send(SampleApp.ANGUS_MAIL, server)
                    .property("mail.transport.protocol", "smtps")
                    .property("mail.smtps.host", "localhost")
                    .property("mail.smtps.port", server.port())
                    .run();
            assertSent(run, 1);
            // the smtps transport is SMTPSSLTransport, so not judged(): the fields that matter here only
            JsonNode line = Report.single(report());
            assertEquals("smtps", line.at("/config/protocol").asText(), line::toString);
            assertFinding(line, "timeouts-unset", "medium", server.port(), "set mail.smtps.connectiontimeout=10000,"
                    + " mail.smtps.timeout=30000 and mail.smtps.writetimeout=30000");
            // and each mail.smtp.* timeout is named as the key that does nothing here
            assertEquals(3, findingIds(line).stream().filter("property-typo"::equals).count(), line::toString);
        }
    }

    /**
     * No greeting and no timeouts: the agent says so while the app still waits (once, however long it waits), and
     * the report line keeps it when the session ends.
     */
    @Test
    void aServerThatNeverGreetsIsReportedWhileTheAppWaits() throws Exception {
        AgentRun.Started app;
        String warning;
        int port;
        try (ScriptedSmtpServer server = ScriptedSmtpServer.builder().noGreeting().start()) {
            port = server.port();
            app = withoutTimeouts(send(SampleApp.JAVAX_MAIL, server))
                    .agentArgs(agentArgs() + ",stuck.seconds=1")
                    .start();
            warning = app.awaitStderrLine(STUCK_WARNING, WARNING_WAIT);
            assertTrue(app.alive(), "warned while the app waits");
            // more than two thresholds more: still one warning for this one wait
            Thread.sleep(2500);
            assertTrue(app.alive(), "without timeouts only the server ends the wait");
        }
        AgentRun.Result run = app.await();
        assertEquals(1, run.exitCode(), run::describe);
        assertEquals(1, run.stderrLines().stream().filter(l -> l.startsWith(STUCK_WARNING)).count(), run::describe);
        assertTrue(Pattern.matches(Pattern.quote(STUCK_WARNING) + "the session with localhost:" + port
                + " has been waiting [0-9]+ s for the server greeting on the app thread 'main' with"
                + " mail.smtp.connectiontimeout and mail.smtp.timeout unset, so only the server can end the wait"
                + " — fix: set mail.smtp.connectiontimeout=10000 and mail.smtp.timeout=30000 so that a hung server"
                + " fails the send instead of holding the thread, and check why localhost:" + port
                + " stops answering", warning), warning);

        JsonNode line = Report.single(report());
        assertCommonFields(line, SampleApp.JAVAX_MAIL, port, run);
        // on a port that is not 25/587/2525 a missing greeting also looks like implicit TLS spoken to in plaintext
        assertEquals(List.of("plaintext-on-implicit-tls-port", "timeouts-unset", "session-stuck"), findingIds(line),
                line::toString);
        JsonNode stuck = assertFinding(line, "session-stuck", "high", port, "mail.smtp.timeout=30000");
        String waited = stuck.path("message").asText();
        assertTrue(waited.matches("the session with localhost:" + port + " waited ([3-9]|[1-9][0-9]+) s for the"
                + " server greeting on the app thread 'main' with .*"), waited);
        // the stuck finding was logged while it hung, not again at the end; the others at the end as usual
        List<String> atTheEnd = new ArrayList<>();
        line.path("findings").forEach(f -> {
            if (!"session-stuck".equals(f.path("id").asText())) {
                atTheEnd.add(warnLine(f));
            }
        });
        assertEquals(atTheEnd, warnLines(run).stream().filter(l -> !l.startsWith(STUCK_WARNING))
                .collect(Collectors.toList()));
    }

    /** The end of DATA never answered; the app's read timeout ends the wait, the agent warned before. */
    @Test
    void aServerStuckAfterTheMessageIsReportedBeforeTheReadTimeoutEndsIt() throws Exception {
        try (ScriptedSmtpServer server = cleanServer().hangAtEndOfData().start()) {
            AgentRun.Result run = startTlsRequired(send(SampleApp.ANGUS_MAIL, server))
                    .agentArgs(agentArgs() + ",stuck.seconds=2")
                    .property("mail.smtp.timeout", 12000)
                    .run();
            assertTrue(failure(run).contains("SocketTimeoutException"), run::describe);
            // on a busy machine the JVM's first TLS handshake may take 2 s (once 6 s) as well: a warning of its own;
            // the read timeout is long enough that the end of DATA stays the longest wait, which the report names
            List<String> warnings = run.stderrLines().stream().filter(l -> l.startsWith(STUCK_WARNING)
                    && l.contains(" for the reply to the end of DATA ")).collect(Collectors.toList());
            assertEquals(1, warnings.size(), run::describe);
            assertTrue(warnings.get(0).matches(Pattern.quote(STUCK_WARNING) + "the session with localhost:"
                    + server.port() + " has been waiting [2-9] s for the reply to the end of DATA on the app thread"
                    + " 'main' although mail.smtp.timeout is 12000 ms — fix: check why localhost:" + server.port()
                    + " stops answering .*"), warnings.get(0));

            JsonNode line = Report.single(report());
            assertCommonFields(line, SampleApp.ANGUS_MAIL, server.port(), run);
            assertEquals(List.of("session-stuck"), findingIds(line), line::toString);
            String message = finding(line, "session-stuck").path("message").asText();
            assertTrue(message.matches("the session with localhost:" + server.port() + " waited 1[1-6] s for the reply"
                    + " to the end of DATA .*"), message);
            assertEquals(354, line.at("/commands/5/reply").asInt(), line::toString);
        }
    }

    /** A whole session well under the threshold: no watchdog finding, the thread never warns. */
    @Test
    void aSessionUnderTheThresholdIsNotStuck() throws Exception {
        try (ScriptedSmtpServer server = cleanServer().start()) {
            AgentRun.Result run = startTlsRequired(send(SampleApp.ANGUS_MAIL, server))
                    .agentArgs(agentArgs() + ",stuck.seconds=30")
                    .run();
            assertSent(run, 1);
            assertIds(judged(run, SampleApp.ANGUS_MAIL, server.port()));
        }
    }
}
