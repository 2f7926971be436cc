package dev.smtpwatch.it.findings;

import static dev.smtpwatch.it.ItSupport.CANARY_PASSWORD;
import static dev.smtpwatch.it.ItSupport.USER;
import static dev.smtpwatch.it.ItSupport.assertNoCredentials;
import static dev.smtpwatch.it.ItSupport.assertSent;
import static dev.smtpwatch.it.ItSupport.field;
import static dev.smtpwatch.it.ItSupport.onlyConnection;
import static dev.smtpwatch.it.ItSupport.withAuth;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import dev.smtpwatch.it.AgentRun;
import dev.smtpwatch.it.SampleApp;
import dev.smtpwatch.testserver.ScriptedSmtpServer;
import dev.smtpwatch.testserver.SessionTranscript;
import dev.smtpwatch.testserver.TestPki;
import dev.smtpwatch.testserver.TlsMode;
import java.util.List;
import org.junit.jupiter.api.Test;

/**
 * cleartext-auth, starttls-downgrade, starttls-not-used, starttls-not-required, starttls-unavailable,
 * server-requires-starttls and cleartext-message: what the client does about STARTTLS against what the server
 * offers. Each trigger has its near miss next to it; the fully clean sessions are in {@link CleanSessionTest}.
 */
class StartTlsFindingsTest extends FindingsTestBase {

    /** STARTTLS enabled, not required, none offered, AUTH configured: the mail goes, and so do the credentials. */
    @Test
    void starttlsNotOfferedNotRequiredDowngradesAndLeaksTheCredentials() throws Exception {
        try (ScriptedSmtpServer server = ScriptedSmtpServer.builder().auth(USER, CANARY_PASSWORD).start()) {
            AgentRun.Result run = withAuth(send(SampleApp.JAVAX_MAIL, server), "PLAIN")
                    .property("mail.smtp.starttls.enable", "true")
                    .run();
            assertSent(run, 1);
            SessionTranscript transcript = onlyConnection(server);
            assertTrue(transcript.authenticated(), () -> "the credentials went over the wire: " + transcript);
            JsonNode line = judged(run, SampleApp.JAVAX_MAIL, server.port());

            assertIds(line, "cleartext-auth", "starttls-downgrade", "cleartext-message");
            JsonNode auth = assertFinding(line, "cleartext-auth", "critical", server.port(),
                    "mail.smtp.starttls.enable=true", "mail.smtp.starttls.required=true");
            assertTrue(auth.path("message").asText().contains("AUTH PLAIN"), auth::toString);
            JsonNode downgrade = assertFinding(line, "starttls-downgrade", "critical", server.port(),
                    "mail.smtp.starttls.required=true");
            assertTrue(downgrade.path("message").asText().contains("credentials and mail"), downgrade::toString);
            // loopback: the message never left the host
            assertFinding(line, "cleartext-message", "info", server.port(), "mail.smtp.starttls.required=true");
            assertNoCredentials(run, report(), "PLAIN");
        }
    }

    /** The same with starttls.required=true: the library refuses, no AUTH reaches the server. */
    @Test
    void starttlsRequiredRefusesToGoOnWithoutItAndSendsNoCredentials() throws Exception {
        try (ScriptedSmtpServer server = ScriptedSmtpServer.builder().auth(USER, CANARY_PASSWORD).start()) {
            AgentRun.Result run = startTlsRequired(withAuth(send(SampleApp.ANGUS_MAIL, server), "PLAIN")).run();
            assertTrue(failure(run).contains("STARTTLS is required but host does not support STARTTLS"),
                    run::describe);
            SessionTranscript transcript = onlyConnection(server);
            assertFalse(transcript.authenticated(), transcript::toString);
            assertFalse(transcript.commands().toString().contains("AUTH"), () -> "AUTH on the wire: " + transcript);
            JsonNode line = judged(run, SampleApp.ANGUS_MAIL, server.port());

            assertIds(line, "starttls-unavailable");
            assertFinding(line, "starttls-unavailable", "high", server.port(), "smtpd_tls_security_level=may",
                    "mail.smtp.ssl.enable=true");
            assertFalse(line.has("auth"), () -> "no AUTH was sent: " + line);
            assertNoCredentials(run, report(), "PLAIN");
        }
    }

    @Test
    void starttlsOfferedButNeverIssuedIsNotUsed() throws Exception {
        try (ScriptedSmtpServer server = tlsServer(TlsMode.STARTTLS, TestPki.Cert.LOCALHOST)
                .auth(USER, CANARY_PASSWORD)
                .start()) {
            AgentRun.Result run = withAuth(send(SampleApp.ANGUS_MAIL, server), "LOGIN").run();
            assertSent(run, 1);
            JsonNode line = judged(run, SampleApp.ANGUS_MAIL, server.port());

            assertIds(line, "cleartext-auth", "starttls-not-used", "cleartext-message");
            JsonNode notUsed = assertFinding(line, "starttls-not-used", "high", server.port(),
                    "mail.smtp.starttls.enable=true", "mail.smtp.starttls.required=true");
            assertTrue(notUsed.path("message").asText().contains("mail.smtp.starttls.enable is not set to true"),
                    notUsed::toString);
            assertNoFinding(line, "starttls-downgrade");
            assertNoCredentials(run, report(), "LOGIN");
        }
    }

    /** TLS this time, but only because the server offered it; with required=true (the clean sessions) nothing. */
    @Test
    void starttlsEnabledButNotRequiredIsFlaggedEvenWhenTlsWasUsed() throws Exception {
        try (ScriptedSmtpServer server = tlsServer(TlsMode.STARTTLS, TestPki.Cert.LOCALHOST)
                .auth(USER, CANARY_PASSWORD)
                .start()) {
            AgentRun.Result run = withAuth(send(SampleApp.ANGUS_MAIL, server), "PLAIN")
                    .property("mail.smtp.starttls.enable", "true")
                    .run();
            assertSent(run, 1);
            JsonNode line = judged(run, SampleApp.ANGUS_MAIL, server.port());

            assertIds(line, "starttls-not-required");
            assertFinding(line, "starttls-not-required", "medium", server.port(), "mail.smtp.starttls.required=true");
        }
    }

    @Test
    void starttlsAnswered454IsUnavailable() throws Exception {
        try (ScriptedSmtpServer server = tlsServer(TlsMode.STARTTLS, TestPki.Cert.LOCALHOST)
                .reply("STARTTLS", "454 4.7.0 TLS not available due to local problem")
                .start()) {
            AgentRun.Result run = startTlsRequired(send(SampleApp.JAVAX_MAIL, server)).run();
            assertTrue(failure(run).contains("454"), run::describe);
            JsonNode line = judged(run, SampleApp.JAVAX_MAIL, server.port());

            assertIds(line, "starttls-unavailable");
            JsonNode unavailable = assertFinding(line, "starttls-unavailable", "high", server.port(),
                    "mail.smtp.ssl.enable=true");
            assertTrue(unavailable.path("message").asText().contains("with 454 instead of 220"),
                    unavailable::toString);
            assertTrue(unavailable.path("fix").asText().contains("certificate or key"), unavailable::toString);
            assertFalse(unavailable.toString().contains("local problem"), () -> "reply text copied: " + unavailable);
        }
    }

    /** A client that never starts TLS against a server that demands it: 530 on MAIL. */
    @Test
    void serverDemandingStartTlsRefusesMailWith530() throws Exception {
        try (ScriptedSmtpServer server = tlsServer(TlsMode.STARTTLS_REQUIRED, TestPki.Cert.LOCALHOST)
                .start()) {
            AgentRun.Result run = send(SampleApp.JAVAX_MAIL, server).run();
            assertTrue(failure(run).contains("530 5.7.0 Must issue a STARTTLS command first"), run::describe);
            JsonNode line = judged(run, SampleApp.JAVAX_MAIL, server.port());

            assertEquals(List.of("EHLO", "MAIL"), field(line.path("commands"), "verb").subList(0, 2));
            assertIds(line, "starttls-not-used", "server-requires-starttls");
            JsonNode requires = assertFinding(line, "server-requires-starttls", "high", server.port(),
                    "mail.smtp.starttls.enable=true", "mail.smtp.starttls.required=true");
            assertTrue(requires.path("message").asText().contains("refused MAIL with 530"), requires::toString);
            assertFalse(requires.toString().contains("Must issue"), () -> "reply text copied: " + requires);
            assertNoFinding(line, "bad-command-sequence");
        }
    }
}
