package dev.smtpwatch.it.enforce;

import static dev.smtpwatch.it.ItSupport.CANARY_PASSWORD;
import static dev.smtpwatch.it.ItSupport.USER;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import dev.smtpwatch.it.AgentRun;
import dev.smtpwatch.it.ItSupport;
import dev.smtpwatch.it.Report;
import dev.smtpwatch.it.SampleApp;
import dev.smtpwatch.testserver.ScriptedSmtpServer;
import dev.smtpwatch.testserver.SessionTranscript;
import dev.smtpwatch.testserver.TlsMode;
import dev.smtpwatch.testserver.TestPki;
import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * {@code enforce} against what a real server will not do: a middlebox stripping STARTTLS, and XOAUTH2. The
 * scripted server's transcript shows what reached the wire.
 */
class EnforceScriptedServerTest {
    static final String OAUTH_TOKEN = "ya29.Canary-Token-51d0";

    @TempDir
    Path dir;

    private Path report() {
        return dir.resolve("report.jsonl");
    }

    private AgentRun send(SampleApp app, ScriptedSmtpServer server) {
        return ItSupport.send(app, server, "report=" + report() + ",otel=off,enforce=on,enforce.allow=none");
    }

    private static ScriptedSmtpServer.Builder strippingStartTls() {
        return ScriptedSmtpServer.builder()
                .tls(TlsMode.STARTTLS, ItSupport.pki().serverContext(TestPki.Cert.LOCALHOST))
                .stripStartTls();
    }

    private static void assertNowhere(String secret, AgentRun.Result run, Path report) {
        for (String output : List.of(run.stdout(), run.stderr(), Report.text(report))) {
            assertFalse(output.contains(secret), () -> secret + " leaked:\n" + output);
        }
    }

    /** STARTTLS enabled only, the offer stripped: the AUTH that would follow in clear never leaves. */
    @Test
    void aStrippedStartTlsStopsTheAuthBeforeItLeaves() throws Exception {
        try (ScriptedSmtpServer server = strippingStartTls().auth(USER, CANARY_PASSWORD).start()) {
            AgentRun.Result run = ItSupport.withAuth(send(SampleApp.ANGUS_MAIL, server), "PLAIN")
                    .property("mail.smtp.starttls.enable", "true")
                    .run();

            assertTrue(ItSupport.failure(run).startsWith("jakarta.mail.AuthenticationFailedException: smtpwatch blocked"
                    + " starttls-downgrade: localhost:" + server.port() + " did not offer STARTTLS and the client"
                    + " was about to send credentials in plaintext, because mail.smtp.starttls.enable=true only"
                    + " uses TLS when offered while mail.smtp.starttls.required is false — fix: set"
                    + " mail.smtp.starttls.required=true"), run::describe);
            SessionTranscript transcript = ItSupport.onlyConnection(server);
            assertEquals(List.of("EHLO"), transcript.verbs(), transcript::toString);
            assertFalse(transcript.authenticated(), transcript::toString);
            assertTrue(transcript.ended(), () -> "the library closed the connection: " + transcript);
            JsonNode line = Report.single(report());
            assertEquals(List.of("cleartext-auth", "starttls-downgrade"), ItSupport.findingIds(line), line::toString);
            line.path("findings").forEach(f -> assertTrue(f.path("enforced").asBoolean(), line::toString));
            ItSupport.assertNoCredentials(run, report(), "PLAIN");
        }
    }

    /** Without AUTH the first MAIL is the downgrade: refused, so the server sees EHLO and the library's QUIT. */
    @Test
    void aStrippedStartTlsStopsTheFirstMailWhenThereIsNoAuth() throws Exception {
        try (ScriptedSmtpServer server = strippingStartTls().start()) {
            AgentRun.Result run = send(SampleApp.JAVAX_MAIL, server)
                    .property("mail.smtp.starttls.enable", "true")
                    .run();

            assertTrue(ItSupport.failure(run).startsWith("javax.mail.MessagingException: smtpwatch blocked"
                    + " starttls-downgrade: localhost:" + server.port() + " did not offer STARTTLS and the client was about to send mail"
                    + " in plaintext"), run::describe);
            SessionTranscript transcript = ItSupport.onlyConnection(server);
            assertEquals(List.of("EHLO", "QUIT"), transcript.verbs(), transcript::toString);
            assertEquals(0, server.messagesReceived());
            JsonNode line = Report.single(report());
            assertEquals(List.of("EHLO", "MAIL", "QUIT"), ItSupport.field(line.path("commands"), "verb"),
                    line::toString);
            assertTrue(line.path("commands").get(1).path("blocked").asBoolean(), line::toString);
            assertEquals(List.of("starttls-downgrade"), ItSupport.findingIds(line), line::toString);
            assertFalse(line.toString().contains("sender@example.com"), line::toString);
        }
    }

    /** Any mechanism: XOAUTH2 carries the token in the AUTH line itself, and that line never leaves. */
    @Test
    void anOauthTokenInClearIsBlockedLikeAPassword() throws Exception {
        try (ScriptedSmtpServer server = ScriptedSmtpServer.builder().auth(USER, CANARY_PASSWORD)
                .oauthToken(OAUTH_TOKEN).authMechanisms("XOAUTH2").start()) {
            AgentRun.Result run = send(SampleApp.ANGUS_MAIL, server)
                    .property("mail.smtp.auth", "true")
                    .property("mail.smtp.auth.mechanisms", "XOAUTH2")
                    .property("sample.user", USER)
                    .property("sample.password", OAUTH_TOKEN)
                    .run();

            assertTrue(ItSupport.failure(run).startsWith("jakarta.mail.AuthenticationFailedException: smtpwatch blocked"
                    + " cleartext-auth: credentials (AUTH XOAUTH2) would have gone to localhost:" + server.port()
                    + " without TLS"), run::describe);
            SessionTranscript transcript = ItSupport.onlyConnection(server);
            assertEquals(List.of("EHLO"), transcript.verbs(), transcript::toString);
            assertNowhere(OAUTH_TOKEN, run, report());
        }
    }
}
