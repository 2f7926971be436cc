package dev.smtpwatch.it;

import static dev.smtpwatch.it.ItSupport.CANARY_PASSWORD;
import static dev.smtpwatch.it.ItSupport.MASKED_MAIL_ARG;
import static dev.smtpwatch.it.ItSupport.MASKED_RCPT_ARG;
import static dev.smtpwatch.it.ItSupport.USER;
import static dev.smtpwatch.it.ItSupport.assertCommandsAsServerSaw;
import static dev.smtpwatch.it.ItSupport.assertCommonFields;
import static dev.smtpwatch.it.ItSupport.assertFields;
import static dev.smtpwatch.it.ItSupport.assertNoAgentTrouble;
import static dev.smtpwatch.it.ItSupport.assertNoCredentials;
import static dev.smtpwatch.it.ItSupport.assertSent;
import static dev.smtpwatch.it.ItSupport.failureClass;
import static dev.smtpwatch.it.ItSupport.field;
import static dev.smtpwatch.it.ItSupport.onlyConnection;
import static dev.smtpwatch.it.ItSupport.pki;
import static dev.smtpwatch.it.ItSupport.send;
import static dev.smtpwatch.it.ItSupport.textArray;
import static dev.smtpwatch.it.ItSupport.withAuth;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import dev.smtpwatch.testserver.ScriptedSmtpServer;
import dev.smtpwatch.testserver.SessionTranscript;
import dev.smtpwatch.testserver.TestPki;
import dev.smtpwatch.testserver.TlsMode;
import java.nio.file.Path;
import java.security.cert.X509Certificate;
import java.time.ZoneOffset;
import java.time.format.DateTimeFormatter;
import java.util.Collections;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;

/**
 * Each sample app, with the agent, against the scripted server: the report line must say exactly what the server's
 * transcript says happened. Every run has {@code debug=on}, so a suppressed advice error or a failed
 * instrumentation shows on stderr and fails the test.
 */
class SessionReportTest {
    @TempDir
    Path dir;

    private Path report() {
        return dir.resolve("report.jsonl");
    }

    private String agentArgs(String... more) {
        return "report=" + report() + ",debug=on" + (more.length == 0 ? "" : "," + String.join(",", more));
    }

    @ParameterizedTest
    @EnumSource(value = SampleApp.class, names = {"JAVAX_MAIL", "ANGUS_MAIL"})
    void starttlsWithAuthPlain(SampleApp app) throws Exception {
        TestPki pki = pki();
        try (ScriptedSmtpServer server = ScriptedSmtpServer.builder()
                .tls(TlsMode.STARTTLS, pki.serverContext(TestPki.Cert.LOCALHOST))
                .auth(USER, CANARY_PASSWORD)
                .start()) {
            AgentRun.Result run = withAuth(send(app, server, agentArgs()), "PLAIN")
                    .property("mail.smtp.starttls.enable", "true")
                    .property("mail.smtp.starttls.required", "true")
                    .run();
            assertSent(run, 1);
            SessionTranscript transcript = onlyConnection(server);
            assertTrue(transcript.authenticated(), "the canary password must have gone over the wire: " + transcript);
            assertNoAgentTrouble(run);
            JsonNode line = Report.single(report());

            assertCommonFields(line, app, server.port(), run);
            assertFields(line, "schema", "time", "durationMs", "library", "server", "config", "tls", "commands",
                    "greeting", "auth", "logins", "messages", "queueIds", "outcome", "findings");
            assertEquals(List.of("EHLO", "STARTTLS", "EHLO", "AUTH", "MAIL", "RCPT", "DATA", "QUIT"),
                    field(line.path("commands"), "verb"));
            assertEquals(List.of("false", "false", "true", "true", "true", "true", "true", "true"),
                    field(line.path("commands"), "tls"));
            assertEquals(List.of("250", "220", "250", "235", "250", "250", "354", "221"),
                    field(line.path("commands"), "reply"));
            assertEquals("PLAIN", line.at("/commands/3/arg").asText(null));
            assertEquals(MASKED_MAIL_ARG, line.at("/commands/4/arg").asText(null));
            assertEquals(MASKED_RCPT_ARG, line.at("/commands/5/arg").asText(null));
            assertCommandsAsServerSaw(line, transcript, true);

            assertEquals(Report.parse("{\"mode\":\"starttls\",\"established\":true,\"protocol\":\""
                    + transcript.tlsProtocol() + "\",\"cipher\":\"" + transcript.tlsCipherSuite() + "\","
                    + "\"certificate\":" + certificateJson(pki.certificate(TestPki.Cert.LOCALHOST)) + "}"),
                    line.path("tls"));
            assertEquals(1, line.path("logins").asInt());
            assertEquals(Report.parse("{\"mechanism\":\"PLAIN\",\"tls\":true,\"outcome\":\"success\"}"),
                    line.path("auth"));
            assertEquals(220, line.path("greeting").asInt());
            assertEquals(1, line.path("messages").asInt());
            assertEquals(textArray(transcript.queueIds()), line.path("queueIds"));
            assertEquals("sent", line.path("outcome").asText());
            assertConfig(line, "smtp", true, true, false, true);
            // STARTTLS required, TLS 1.2+, certificate checked: nothing but the library's identity-check default
            assertFindings(line, tlsFindings(app));
            assertNoCredentials(run, report(), "PLAIN");
        }
    }

    @ParameterizedTest
    @EnumSource(value = SampleApp.class, names = {"JAVAX_MAIL", "ANGUS_MAIL"})
    void implicitTls(SampleApp app) throws Exception {
        TestPki pki = pki();
        try (ScriptedSmtpServer server = ScriptedSmtpServer.builder()
                .tls(TlsMode.IMPLICIT, pki.serverContext(TestPki.Cert.LOCALHOST))
                .start()) {
            AgentRun.Result run = send(app, server, agentArgs())
                    .property("mail.smtp.ssl.enable", "true")
                    .run();
            assertSent(run, 1);
            SessionTranscript transcript = onlyConnection(server);
            assertNoAgentTrouble(run);
            JsonNode line = Report.single(report());

            assertCommonFields(line, app, server.port(), run);
            assertFields(line, "schema", "time", "durationMs", "library", "server", "config", "tls", "commands",
                    "greeting", "logins", "messages", "queueIds", "outcome", "findings");
            assertEquals(List.of("EHLO", "MAIL", "RCPT", "DATA", "QUIT"), field(line.path("commands"), "verb"));
            assertEquals(Collections.nCopies(5, "true"), field(line.path("commands"), "tls"));
            assertCommandsAsServerSaw(line, transcript, true);
            assertEquals(Report.parse("{\"mode\":\"implicit\",\"established\":true,\"protocol\":\""
                    + transcript.tlsProtocol() + "\",\"cipher\":\"" + transcript.tlsCipherSuite() + "\","
                    + "\"certificate\":" + certificateJson(pki.certificate(TestPki.Cert.LOCALHOST)) + "}"),
                    line.path("tls"));
            assertEquals(0, line.path("logins").asInt());
            assertEquals(220, line.path("greeting").asInt());
            assertEquals(1, line.path("messages").asInt());
            assertEquals(textArray(transcript.queueIds()), line.path("queueIds"));
            assertEquals("sent", line.path("outcome").asText());
            assertEquals(true, line.at("/config/ssl.enable").asBoolean(false), () -> "config.ssl.enable: " + line);
            assertFindings(line, tlsFindings(app));
        }
    }

    @ParameterizedTest
    @EnumSource(value = SampleApp.class, names = {"JAVAX_MAIL", "ANGUS_MAIL"})
    void plaintextAuthLogin(SampleApp app) throws Exception {
        try (ScriptedSmtpServer server = ScriptedSmtpServer.builder()
                .auth(USER, CANARY_PASSWORD)
                .start()) {
            AgentRun.Result run = withAuth(send(app, server, agentArgs()), "LOGIN").run();
            assertSent(run, 1);
            SessionTranscript transcript = onlyConnection(server);
            assertTrue(transcript.authenticated(), "the canary password must have gone over the wire: " + transcript);
            assertNoAgentTrouble(run);
            JsonNode line = Report.single(report());

            assertCommonFields(line, app, server.port(), run);
            assertFields(line, "schema", "time", "durationMs", "library", "server", "config", "tls", "commands",
                    "greeting", "auth", "logins", "messages", "queueIds", "outcome", "findings");
            // the two 334 continuations are part of the one AUTH entry
            assertEquals(List.of("EHLO", "AUTH", "MAIL", "RCPT", "DATA", "QUIT"),
                    field(line.path("commands"), "verb"));
            assertEquals(Report.parse("{\"verb\":\"AUTH\",\"arg\":\"LOGIN\",\"tls\":false,\"reply\":235}"),
                    line.at("/commands/1"));
            assertCommandsAsServerSaw(line, transcript, true);
            assertEquals(Report.parse("{\"mode\":\"none\",\"established\":false}"), line.path("tls"));
            assertEquals(Report.parse("{\"mechanism\":\"LOGIN\",\"tls\":false,\"outcome\":\"success\"}"),
                    line.path("auth"));
            assertEquals("sent", line.path("outcome").asText());
            assertFinding(line, "cleartext-auth", "critical");
            // the server is 127.0.0.1: a plaintext message on loopback is info
            assertFindings(line, "cleartext-auth", "critical", "cleartext-message", "info");
            assertNoCredentials(run, report(), "LOGIN");
        }
    }

    @ParameterizedTest
    @EnumSource(value = SampleApp.class, names = {"JAVAX_MAIL", "ANGUS_MAIL"})
    void twoMessagesOverOneConnection(SampleApp app) throws Exception {
        try (ScriptedSmtpServer server = ScriptedSmtpServer.builder().start()) {
            AgentRun.Result run = send(app, server, agentArgs()).property("sample.messages", 2).run();
            assertSent(run, 2);
            SessionTranscript transcript = onlyConnection(server);
            assertEquals(2, transcript.queueIds().size(), transcript::toString);
            assertNoAgentTrouble(run);
            JsonNode line = Report.single(report());

            assertCommonFields(line, app, server.port(), run);
            List<String> transaction = field(line.path("commands"), "verb").stream()
                    .filter(verb -> List.of("MAIL", "RCPT", "DATA").contains(verb)).toList();
            assertEquals(List.of("MAIL", "RCPT", "DATA", "MAIL", "RCPT", "DATA"), transaction);
            assertCommandsAsServerSaw(line, transcript, true);
            assertEquals(2, line.path("messages").asInt());
            assertEquals(textArray(transcript.queueIds()), line.path("queueIds"));
            assertEquals("sent", line.path("outcome").asText());
            assertFindings(line, "cleartext-message", "info");
        }
    }

    @ParameterizedTest
    @EnumSource(value = SampleApp.class, names = {"JAVAX_MAIL", "ANGUS_MAIL"})
    void rejectedRecipient(SampleApp app) throws Exception {
        try (ScriptedSmtpServer server = ScriptedSmtpServer.builder()
                .rejectRecipient(ItSupport.TO)
                .start()) {
            AgentRun.Result run = send(app, server, agentArgs()).run();
            String thrown = failureClass(run);
            assertTrue(thrown.endsWith("SendFailedException"), () -> "the app got " + thrown);
            SessionTranscript transcript = onlyConnection(server);
            assertNoAgentTrouble(run);
            JsonNode line = Report.single(report());

            assertCommonFields(line, app, server.port(), run);
            assertEquals("failed", line.path("outcome").asText());
            assertEquals(thrown, line.at("/error/type").asText(null), () -> "error.type: " + line);
            assertErrorMessageIsOneLine(line);
            assertCommandsAsServerSaw(line, transcript, true);
            JsonNode rcpt = commandWithVerb(line, "RCPT");
            assertEquals(550, rcpt.path("reply").asInt(), () -> "RCPT in " + line);
            assertEquals(0, line.path("messages").asInt());
            assertTrue(line.path("queueIds").isMissingNode() || line.path("queueIds").isEmpty(),
                    () -> "no queue id was given: " + line);
            assertFindings(line);
        }
    }

    @ParameterizedTest
    @EnumSource(value = SampleApp.class, names = {"JAVAX_MAIL", "ANGUS_MAIL"})
    void connectionDroppedAtMail(SampleApp app) throws Exception {
        try (ScriptedSmtpServer server = ScriptedSmtpServer.builder().dropOn("MAIL").start()) {
            AgentRun.Result run = send(app, server, agentArgs()).run();
            String thrown = failureClass(run);
            SessionTranscript transcript = onlyConnection(server);
            assertNoAgentTrouble(run);
            JsonNode line = Report.single(report());

            assertCommonFields(line, app, server.port(), run);
            assertEquals("failed", line.path("outcome").asText());
            assertEquals(thrown, line.at("/error/type").asText(null), () -> "error.type: " + line);
            assertErrorMessageIsOneLine(line);
            // what the server saw, then whatever the library still wrote into the dead connection (RSET, QUIT)
            JsonNode seen = ItSupport.expectedCommands(transcript, true);
            assertEquals(List.of("EHLO", "MAIL"), transcript.verbs());
            JsonNode commands = line.path("commands");
            assertTrue(commands.size() >= seen.size(), () -> "commands: " + line);
            for (int i = 0; i < commands.size(); i++) {
                JsonNode command = commands.get(i);
                if (i < seen.size()) {
                    assertEquals(seen.get(i), command, () -> "commands vs the transcript " + transcript);
                } else {
                    assertTrue(List.of("RSET", "QUIT").contains(command.path("verb").asText())
                            && command.path("reply").asInt() == -1,
                            () -> "after the drop only RSET/QUIT without a reply may follow: " + line);
                }
            }
            assertEquals(Report.parse("{\"verb\":\"MAIL\",\"arg\":\"" + MASKED_MAIL_ARG + "\",\"tls\":false,"
                    + "\"reply\":-1}"), commandWithVerb(line, "MAIL"));
            assertEquals(220, line.path("greeting").asInt());
            assertEquals(0, line.path("messages").asInt());
            assertFindings(line);
        }
    }

    @ParameterizedTest
    @EnumSource(value = SampleApp.class, names = {"JAVAX_MAIL", "ANGUS_MAIL"})
    void connectionRefused(SampleApp app) throws Exception {
        int port = ItSupport.freePort();
        AgentRun.Result run = send(app, port, agentArgs()).run();
        String thrown = failureClass(run);
        assertEquals(app.connectExceptionClass(), thrown, run::describe);
        assertNoAgentTrouble(run);
        JsonNode line = Report.single(report());

        assertCommonFields(line, app, port, run);
        assertEquals("failed", line.path("outcome").asText());
        assertEquals(thrown, line.at("/error/type").asText(null), () -> "error.type: " + line);
        assertErrorMessageIsOneLine(line);
        assertTrue(line.path("greeting").isMissingNode() || line.path("greeting").asInt() == -1,
                () -> "no greeting came: " + line);
        assertEquals(Report.parse("[]"), line.path("commands"));
        assertEquals(Report.parse("{\"mode\":\"none\",\"established\":false}"), line.path("tls"));
        assertFalse(line.has("auth"), () -> "no AUTH was sent: " + line);
        assertFalse(line.has("queueIds") && !line.path("queueIds").isEmpty(), () -> "nothing queued: " + line);
        assertFindings(line);
    }

    @ParameterizedTest
    @EnumSource(value = SampleApp.class, names = {"JAVAX_MAIL", "ANGUS_MAIL"})
    void maskOffRecordsAddressesAsSent(SampleApp app) throws Exception {
        try (ScriptedSmtpServer server = ScriptedSmtpServer.builder().start()) {
            AgentRun.Result run = send(app, server, agentArgs("mask=off")).run();
            assertSent(run, 1);
            SessionTranscript transcript = onlyConnection(server);
            assertNoAgentTrouble(run);
            JsonNode line = Report.single(report());

            assertCommonFields(line, app, server.port(), run);
            assertCommandsAsServerSaw(line, transcript, false);
            assertEquals("FROM:<" + ItSupport.FROM + ">", commandWithVerb(line, "MAIL").path("arg").asText());
            assertEquals("TO:<" + ItSupport.TO + ">", commandWithVerb(line, "RCPT").path("arg").asText());
            assertFindings(line, "cleartext-message", "info");
        }
    }

    @ParameterizedTest
    @EnumSource(value = SampleApp.class, names = {"JAVAX_MAIL", "ANGUS_MAIL"})
    void commandsMaxKeepsTheFirstCommandsAndCountsTheRest(SampleApp app) throws Exception {
        try (ScriptedSmtpServer server = ScriptedSmtpServer.builder().start()) {
            AgentRun.Result run = send(app, server, agentArgs("commands.max=3")).run();
            assertSent(run, 1);
            SessionTranscript transcript = onlyConnection(server);
            assertNoAgentTrouble(run);
            JsonNode line = Report.single(report());

            assertCommonFields(line, app, server.port(), run);
            assertEquals(List.of("EHLO", "MAIL", "RCPT", "DATA", "QUIT"), transcript.verbs());
            JsonNode allCommands = ItSupport.expectedCommands(transcript, true);
            JsonNode firstThree = Report.parse("[" + allCommands.get(0) + "," + allCommands.get(1) + ","
                    + allCommands.get(2) + "]");
            assertEquals(firstThree, line.path("commands"));
            assertEquals(2, line.path("commandsNotRecorded").asInt(-1), () -> "commandsNotRecorded: " + line);
            // counting goes on past the cap
            assertEquals(1, line.path("messages").asInt());
            assertEquals(textArray(transcript.queueIds()), line.path("queueIds"));
            assertEquals("sent", line.path("outcome").asText());
            // the cap limits what is stored, not what is judged: the message still went in plaintext
            assertFindings(line, "cleartext-message", "info");
        }
    }

    @ParameterizedTest
    @EnumSource(value = SampleApp.class, names = {"JAVAX_MAIL", "ANGUS_MAIL"})
    void debugNamesTheInstrumentedTransportAndNothingElseByDefault(SampleApp app) throws Exception {
        // both apps' library builds are in the agent's pre-woven classes (PrewovenCatalogue)
        try (ScriptedSmtpServer server = ScriptedSmtpServer.builder().start()) {
            AgentRun.Result debug = send(app, server, agentArgs()).run();
            assertSent(debug, 1);
            assertNoAgentTrouble(debug);
            assertEquals(1, debug.stderrLines().stream()
                    .filter(l -> l.startsWith("DEBUG smtpwatch instrumented " + app.transportClass() + " in ")
                            && l.endsWith(" ms, pre-woven"))
                    .count(), debug::describe);

            Path quietReport = dir.resolve("quiet.jsonl");
            AgentRun.Result quiet = send(app, server, "report=" + quietReport).run();
            assertSent(quiet, 1);
            assertTrue(quiet.stderrLines().stream().noneMatch(l -> l.startsWith("DEBUG")), quiet::describe);
            assertEquals(1, Report.read(quietReport).size());
        }
    }

    @ParameterizedTest
    @EnumSource(value = SampleApp.class, names = {"JAVAX_MAIL", "ANGUS_MAIL"})
    void jvmExitWhileTheConnectionIsStillOpen(SampleApp app) throws Exception {
        try (ScriptedSmtpServer server = ScriptedSmtpServer.builder().noGreeting().start()) {
            AgentRun.Started jvm = send(app, server, agentArgs()).start();
            long deadline = System.nanoTime() + ItSupport.SERVER_WAIT.toNanos();
            while (server.connections().isEmpty() && System.nanoTime() < deadline) {
                Thread.sleep(20);
            }
            assertEquals(1, server.connections().size(), "the app connected and now waits for the greeting");
            AgentRun.Result run = jvm.terminate();
            assertEquals(143, run.exitCode(), run::describe);
            assertNoAgentTrouble(run);
            JsonNode line = Report.single(report());

            assertCommonFields(line, app, server.port(), run);
            assertEquals(Report.parse("[]"), line.path("commands"));
            assertTrue(line.path("greeting").isMissingNode() || line.path("greeting").asInt() == -1,
                    () -> "no greeting came: " + line);
            assertEquals(0, line.path("messages").asInt());
            // SPEC: no-mail = connected, nothing sent
            assertEquals("no-mail", line.path("outcome").asText(), () -> "outcome: " + line);
            assertFindings(line);
        }
    }

    private static void assertConfig(JsonNode line, String protocol, boolean starttlsEnable, boolean starttlsRequired,
            boolean sslEnable, boolean auth) {
        JsonNode config = line.path("config");
        assertEquals(protocol, config.path("protocol").asText(null), () -> "config: " + line);
        assertEquals(starttlsEnable, config.path("starttls.enable").asBoolean(!starttlsEnable),
                () -> "config: " + line);
        assertEquals(starttlsRequired, config.path("starttls.required").asBoolean(!starttlsRequired),
                () -> "config: " + line);
        assertEquals(sslEnable, config.path("ssl.enable").asBoolean(!sslEnable), () -> "config: " + line);
        assertEquals(auth, config.path("auth").asBoolean(!auth), () -> "config: " + line);
    }

    /**
     * The findings are exactly these ({@code id, severity, id, severity, …}), per the SPEC catalogue. In these
     * scenarios the only library-dependent one is {@code hostname-verification-off}: javax.mail 1.6 does not check
     * the server identity by default, Angus 2 does.
     */
    /** {@code tls.certificate} as the report has it for a leaf certificate the server presented. */
    private static String certificateJson(X509Certificate leaf) {
        return "{\"subject\":\"" + leaf.getSubjectX500Principal().getName() + "\",\"issuer\":\""
                + leaf.getIssuerX500Principal().getName() + "\",\"notAfter\":\""
                + DateTimeFormatter.ofPattern("yyyy-MM-dd'T'HH:mm:ss.SSS'Z'").withZone(ZoneOffset.UTC)
                        .format(leaf.getNotAfter().toInstant()) + "\"}";
    }

    private static void assertFindings(JsonNode line, String... idsAndSeverities) {
        Map<String, String> expected = new TreeMap<>();
        for (int i = 0; i < idsAndSeverities.length; i += 2) {
            expected.put(idsAndSeverities[i], idsAndSeverities[i + 1]);
        }
        Map<String, String> actual = new TreeMap<>();
        for (JsonNode finding : line.path("findings")) {
            String previous = actual.put(finding.path("id").asText(), finding.path("severity").asText());
            assertTrue(previous == null, () -> "a finding reported twice: " + line);
        }
        assertEquals(expected, actual, () -> "findings in " + line);
    }

    private static String[] tlsFindings(SampleApp app) {
        return app == SampleApp.JAVAX_MAIL ? new String[] {"hostname-verification-off", "medium"} : new String[0];
    }

    private static void assertFinding(JsonNode line, String id, String severity) {
        for (JsonNode finding : line.path("findings")) {
            if (id.equals(finding.path("id").asText())) {
                assertEquals(severity, finding.path("severity").asText(), () -> "severity of " + finding);
                return;
            }
        }
        throw new AssertionError("no " + id + " finding in " + line);
    }

    private static void assertErrorMessageIsOneLine(JsonNode line) {
        JsonNode message = line.at("/error/message");
        assertNotNull(message.textValue(), () -> "error.message: " + line);
        assertTrue(message.textValue().chars().noneMatch(c -> c < 0x20 || c == 0x7f),
                () -> "error.message must have CR/LF and control characters escaped: " + line);
    }

    private static JsonNode commandWithVerb(JsonNode line, String verb) {
        JsonNode found = null;
        for (JsonNode command : line.path("commands")) {
            if (verb.equals(command.path("verb").asText())) {
                assertTrue(found == null, () -> "more than one " + verb + " in " + line);
                found = command;
            }
        }
        assertNotNull(found, () -> "no " + verb + " in " + line);
        return found;
    }
}
