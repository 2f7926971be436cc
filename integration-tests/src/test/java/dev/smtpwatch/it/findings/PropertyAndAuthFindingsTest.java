package dev.smtpwatch.it.findings;

import static dev.smtpwatch.it.ItSupport.USER;
import static dev.smtpwatch.it.ItSupport.assertNoCredentials;
import static dev.smtpwatch.it.ItSupport.assertSent;
import static dev.smtpwatch.it.ItSupport.withAuth;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import dev.smtpwatch.it.AgentRun;
import dev.smtpwatch.it.SampleApp;
import dev.smtpwatch.testserver.ScriptedSmtpServer;
import dev.smtpwatch.testserver.TestPki;
import dev.smtpwatch.testserver.TlsMode;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import org.junit.jupiter.api.Test;

/** property-typo and auth-failed, each next to its near miss. */
class PropertyAndAuthFindingsTest extends FindingsTestBase {

    private static ScriptedSmtpServer.Builder startTlsServer() {
        return tlsServer(TlsMode.STARTTLS, TestPki.Cert.LOCALHOST);
    }

    /**
     * Three keys the library never reads: the misspelt ones do nothing, so the session goes in plaintext although
     * the server offers STARTTLS; each typo is its own finding, whose fix names the key meant.
     */
    @Test
    void misspeltAndWrongProtocolKeysAreTypos() throws Exception {
        try (ScriptedSmtpServer server = startTlsServer().start()) {
            AgentRun.Result run = send(SampleApp.JAVAX_MAIL, server)
                    .property("mail.smpt.auth", "true")
                    .property("mail.smtp.starttls.enabled", "true")
                    .property("mail.smtps.ssl.enable", "true")
                    .run();
            assertSent(run, 1);
            JsonNode line = judged(run, SampleApp.JAVAX_MAIL, server.port());

            Map<String, String> fixes = new TreeMap<>();
            List<String> others = new ArrayList<>();
            for (JsonNode finding : line.path("findings")) {
                if ("property-typo".equals(finding.path("id").asText())) {
                    assertFinding(finding, "medium", server.port(), "rename ");
                    fixes.put(finding.path("fix").asText(), finding.path("message").asText());
                } else {
                    others.add(finding.path("id").asText());
                }
            }
            assertEquals(List.of("rename mail.smpt.auth to mail.smtp.auth",
                    "rename mail.smtp.starttls.enabled to mail.smtp.starttls.enable",
                    "rename mail.smtps.ssl.enable to mail.smtp.ssl.enable"), new ArrayList<>(fixes.keySet()),
                    line::toString);
            assertTrue(fixes.get("rename mail.smtps.ssl.enable to mail.smtp.ssl.enable")
                    .contains("the session uses protocol smtp, which reads mail.smtp.ssl.enable"), fixes::toString);
            // what the misspelt starttls key left undone
            assertEquals(List.of("starttls-not-used", "cleartext-message"), others, line::toString);
        }
    }

    /** Correct keys, and mail.smtps.* beside its mail.smtp.* twin as Commons Email sets them: no typo. */
    @Test
    void correctKeysAndBothProtocolPrefixesAreNoTypo() throws Exception {
        try (ScriptedSmtpServer server = startTlsServer().start()) {
            AgentRun.Result run = startTlsRequired(send(SampleApp.ANGUS_MAIL, server))
                    .property("mail.smtp.sendpartial", "true")
                    .property("mail.smtps.sendpartial", "true")
                    .property("mail.smtp.connectiontimeout", "5000")
                    .property("mail.imap.ssl.enable", "true")
                    .run();
            assertSent(run, 1);
            JsonNode line = judged(run, SampleApp.ANGUS_MAIL, server.port());
            assertIds(line);
        }
    }

    @Test
    void rejectedCredentialsAreAuthFailed() throws Exception {
        try (ScriptedSmtpServer server = startTlsServer().auth(USER, "another-password").start()) {
            AgentRun.Result run = startTlsRequired(withAuth(send(SampleApp.ANGUS_MAIL, server), "PLAIN")).run();
            assertTrue(failure(run).contains("AuthenticationFailedException: 535"), run::describe);
            JsonNode line = judged(run, SampleApp.ANGUS_MAIL, server.port());

            assertEquals("failure", line.at("/auth/outcome").asText(), line::toString);
            assertIds(line, "auth-failed");
            JsonNode failed = assertFinding(line, "auth-failed", "low", server.port(), "Transport.connect",
                    "spring.mail.password");
            assertTrue(failed.path("message").asText().contains("AUTH PLAIN with 535"), failed::toString);
            assertNoCredentials(run, report(), "PLAIN");
        }
    }
}
