package dev.smtpwatch.it.findings;

import static dev.smtpwatch.it.ItSupport.CANARY_PASSWORD;
import static dev.smtpwatch.it.ItSupport.USER;
import static dev.smtpwatch.it.ItSupport.assertNoCredentials;
import static dev.smtpwatch.it.ItSupport.assertSent;
import static dev.smtpwatch.it.ItSupport.field;
import static dev.smtpwatch.it.ItSupport.onlyConnection;
import static dev.smtpwatch.it.ItSupport.withAuth;
import static org.junit.jupiter.api.Assertions.assertEquals;
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
 * no-ehlo-after-starttls and bad-command-sequence, provoked by what the libraries really do: javax.mail, Jakarta
 * Mail and Angus answer a 530 to AUTH by issuing STARTTLS themselves and repeating AUTH right away, without a new
 * EHLO ({@code SMTPTransport.authenticate}, "A 530 response indicates that the server wants us to issue a STARTTLS
 * command first"). The server here advertises AUTH before TLS but refuses it until TLS; with {@code requireEhlo()}
 * it also insists, as Postfix does, on EHLO after STARTTLS and answers the repeated AUTH with 503. The near misses:
 * the clean sessions, where the library does STARTTLS itself and always sends EHLO after it, and a 503/530 that
 * names TLS, which is server-requires-starttls and not bad-command-sequence
 * ({@link StartTlsFindingsTest#serverDemandingStartTlsRefusesMailWith530}).
 */
class CommandSequenceFindingsTest extends FindingsTestBase {

    private static ScriptedSmtpServer.Builder authRefusedBeforeTls() {
        return tlsServer(TlsMode.STARTTLS_REQUIRED, TestPki.Cert.LOCALHOST)
                .auth(USER, CANARY_PASSWORD)
                .advertiseAuthBeforeTls();
    }

    /** STARTTLS not configured: the 530 to AUTH makes the library do STARTTLS, then AUTH without EHLO. */
    @Test
    void libraryRetryingAuthAfterItsOwnStartTlsSkipsEhlo() throws Exception {
        try (ScriptedSmtpServer server = authRefusedBeforeTls().start()) {
            AgentRun.Result run = withAuth(send(SampleApp.ANGUS_MAIL, server), "LOGIN").run();
            assertSent(run, 1);
            SessionTranscript transcript = onlyConnection(server);
            JsonNode line = judged(run, SampleApp.ANGUS_MAIL, server.port());

            assertEquals(List.of("EHLO", "AUTH", "STARTTLS", "AUTH", "MAIL"),
                    field(line.path("commands"), "verb").subList(0, 5), line::toString);
            assertEquals("[EHLO 250, AUTH 530, STARTTLS 220, AUTH/tls 235]",
                    transcript.commands().subList(0, 4).toString());
            assertIds(line, "cleartext-auth", "starttls-not-required", "server-requires-starttls",
                    "no-ehlo-after-starttls");
            JsonNode noEhlo = assertFinding(line, "no-ehlo-after-starttls", "medium", server.port(),
                    "mail.smtp.starttls.enable=true", "mail.smtp.starttls.required=true");
            assertTrue(noEhlo.path("message").asText().contains("sent AUTH instead of EHLO"), noEhlo::toString);
            assertTrue(noEhlo.path("message").asText().contains("answers a 530 to AUTH with a STARTTLS of its own"),
                    noEhlo::toString);
            JsonNode requires = assertFinding(line, "server-requires-starttls", "high", server.port(),
                    "mail.smtp.starttls.enable=true", "mail.smtp.starttls.required=true");
            assertTrue(requires.path("message").asText().contains("refused AUTH with 530"), requires::toString);
            // AUTH LOGIN without an initial response: the first AUTH carried no credentials, yet it went in plaintext
            assertFinding(line, "cleartext-auth", "critical", server.port(), "mail.smtp.starttls.required=true");
            assertNoCredentials(run, report(), "LOGIN");
        }
    }

    /** A server that, like Postfix, wants EHLO again after STARTTLS answers the repeated AUTH with 503. */
    @Test
    void serverInsistingOnEhloAfterStartTlsReplies503() throws Exception {
        try (ScriptedSmtpServer server = authRefusedBeforeTls().requireEhlo().start()) {
            AgentRun.Result run = withAuth(send(SampleApp.JAVAX_MAIL, server), "LOGIN").run();
            assertTrue(failure(run).contains("503"), run::describe);
            JsonNode line = judged(run, SampleApp.JAVAX_MAIL, server.port());

            assertTrue(line.path("commands").toString().contains("\"verb\":\"AUTH\",\"arg\":\"LOGIN\",\"tls\":true,"
                    + "\"reply\":503"), line::toString);
            JsonNode bad = assertFinding(line, "bad-command-sequence", "medium", server.port(),
                    "mail.smtp.starttls.enable=true", "mail.smtp.starttls.required=true");
            assertTrue(bad.path("message").asText().contains("replied 503 (bad sequence of commands) to AUTH because"
                    + " the client sent no EHLO after STARTTLS"), bad::toString);
            assertFinding(line, "no-ehlo-after-starttls", "medium", server.port(), "mail.smtp.starttls.enable=true");
            assertNoCredentials(run, report(), "LOGIN");
        }
    }
}
