package dev.smtpwatch.it.findings;

import dev.smtpwatch.it.Canaries;
import static dev.smtpwatch.it.ItSupport.CANARY_PASSWORD;
import static dev.smtpwatch.it.ItSupport.USER;
import static dev.smtpwatch.it.ItSupport.assertNoCredentials;
import static dev.smtpwatch.it.ItSupport.assertSent;
import static dev.smtpwatch.it.ItSupport.withAuth;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import dev.smtpwatch.it.AgentRun;
import dev.smtpwatch.it.Report;
import dev.smtpwatch.it.SampleApp;
import dev.smtpwatch.testserver.ScriptedSmtpServer;
import dev.smtpwatch.testserver.TestPki;
import dev.smtpwatch.testserver.TlsMode;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Instant;
import java.util.Base64;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;
import org.junit.jupiter.params.provider.ValueSource;

/**
 * basic-auth-retiring, auth-failed with the replies it explains, and XOAUTH2. The providers' host names are resolved
 * to the scripted server on loopback inside the app's JVM ({@code -Djdk.net.hosts.file}), so nothing leaves the
 * machine; the server answers AUTH as the provider does. javax.mail 1.6 is the app: it does not check the server
 * identity by default (so the test certificate for localhost passes for the provider's name, with the
 * hostname-verification-off finding that default always gets).
 */
class ProviderAuthFindingsTest extends FindingsTestBase {
    /** Microsoft's date: the end of December 2026. */
    private static final Instant MICROSOFT_CUTOFF = Instant.parse("2027-01-01T00:00:00Z");
    private static final String TOKEN = Canaries.XOAUTH2_TOKEN;

    /** A provider's host and what it answers to a password login that it refuses. */
    enum ProviderReply {
        MICROSOFT_TENANT("smtp.office365.com", "535 5.7.139 Authentication unsuccessful, basic authentication is"
                + " disabled. [BN9PR03CA0123.namprd03.prod.outlook.com 2026-12-02T10:00:00.000Z 08DB0A1B2C3D4E5F]",
                "BN9PR03CA0123", "535 5.7.139, which means basic authentication (a password) is disabled for the"
                + " Microsoft 365 tenant", "use OAuth2: set mail.smtp.auth.mechanisms=XOAUTH2"),
        OUTLOOK_NOT_SUPPORTED("smtp-mail.outlook.com", "550 5.7.30 Basic authentication is not supported for Client"
                + " Submission. [DM6PR02CA0055.namprd02.prod.outlook.com]", "DM6PR02CA0055", "550 5.7.30, which means"
                + " basic authentication (a password) is not supported", "use OAuth2: set mail.smtp.auth.mechanisms=XOAUTH2"),
        GMAIL_APP_PASSWORD("smtp.gmail.com", "534-5.7.9 Application-specific password required. Learn more at\r\n"
                + "534 5.7.9  https://support.google.com/mail/?p=InvalidSecondFactor 2adb3069b0e04-gsmtp",
                "InvalidSecondFactor", "534 5.7.9, which means the account requires an application-specific password",
                "create an app password");

        final String host;
        final String reply;
        /** A piece of the server's text, which may appear in error.message but never in a finding. */
        final String serverText;
        final String meaning;
        final String fix;

        ProviderReply(String host, String reply, String serverText, String meaning, String fix) {
            this.host = host;
            this.reply = reply;
            this.serverText = serverText;
            this.meaning = meaning;
            this.fix = fix;
        }

        boolean google() {
            return host.endsWith("gmail.com");
        }
    }

    /** The app's run, with {@code host} resolved to 127.0.0.1 in its JVM only. */
    private AgentRun sendAs(String host, ScriptedSmtpServer server) throws Exception {
        Path hosts = dir.resolve("hosts");
        Files.writeString(hosts, "127.0.0.1 " + host + "\n", StandardCharsets.US_ASCII);
        return startTlsRequired(send(SampleApp.JAVAX_MAIL, server))
                .property("mail.smtp.host", host)
                // the client's own name in EHLO, so the app never looks up this machine's name in the hosts file
                .property("mail.smtp.localhost", "client.example")
                .property("jdk.net.hosts.file", hosts);
    }

    private static ScriptedSmtpServer.Builder server() {
        return tlsServer(TlsMode.STARTTLS_REQUIRED, TestPki.Cert.LOCALHOST).auth(USER, "the-real-password");
    }

    private static String retiringSeverity(ProviderReply provider) {
        return provider.google() || !Instant.now().isBefore(MICROSOFT_CUTOFF) ? "high" : "medium";
    }

    @ParameterizedTest
    @EnumSource(ProviderReply.class)
    void aRefusedPasswordLoginIsExplainedAndTheProvidersDateNamed(ProviderReply provider) throws Exception {
        try (ScriptedSmtpServer server = server().reply("AUTH", provider.reply).start()) {
            AgentRun.Result run = withAuth(sendAs(provider.host, server), "LOGIN").run();
            assertTrue(failure(run).contains("AuthenticationFailedException"), run::describe);
            JsonNode line = judged(run, SampleApp.JAVAX_MAIL, provider.host, server.port());
            String where = provider.host + ":" + server.port();

            assertIds(line, "hostname-verification-off", "auth-failed", "basic-auth-retiring");
            JsonNode failed = assertFinding(finding(line, "auth-failed"), "low", where, provider.fix);
            assertTrue(failed.path("message").asText().contains("AUTH LOGIN with " + provider.meaning),
                    failed::toString);
            JsonNode retiring = assertFinding(finding(line, "basic-auth-retiring"), retiringSeverity(provider), where,
                    "mail.smtp.auth.mechanisms=XOAUTH2", "access token");
            assertTrue(retiring.path("message").asText().contains(provider.google() ? "1 May 2025"
                    : "end of December 2026 and removes it in the second half of 2027"), retiring::toString);
            for (JsonNode finding : line.path("findings")) {
                assertFalse(finding.toString().contains(provider.serverText), () -> "server text in " + finding);
            }
            assertNoCredentials(run, report(), "LOGIN");
        }
    }

    /** The same provider with a password that works today: retiring all the same. */
    @Test
    void aSuccessfulPasswordLoginToMicrosoftIsRetiring() throws Exception {
        try (ScriptedSmtpServer server = tlsServer(TlsMode.STARTTLS_REQUIRED, TestPki.Cert.LOCALHOST)
                .auth(USER, CANARY_PASSWORD).start()) {
            AgentRun.Result run = withAuth(sendAs("smtp.office365.com", server), "PLAIN").run();
            assertSent(run, 1);
            JsonNode line = judged(run, SampleApp.JAVAX_MAIL, "smtp.office365.com", server.port());
            assertIds(line, "hostname-verification-off", "basic-auth-retiring");
            assertFinding(finding(line, "basic-auth-retiring"), retiringSeverity(ProviderReply.MICROSOFT_TENANT),
                    "smtp.office365.com:" + server.port(), "XOAUTH2");
            assertNoCredentials(run, report(), "PLAIN");
        }
    }

    /**
     * XOAUTH2 to the same provider, three messages over the one login: no retiring finding, the mechanism recorded,
     * one login for three messages, and the token nowhere in any output (plain, base64, or inside the XOAUTH2
     * initial response).
     */
    @Test
    void xoauth2IsRecognisedAndItsTokenNeverRecorded() throws Exception {
        try (ScriptedSmtpServer server = server().authMechanisms("XOAUTH2").oauthToken(TOKEN).start()) {
            AgentRun.Result run = sendAs("smtp.office365.com", server)
                    .property("mail.smtp.auth", "true")
                    .property("mail.smtp.auth.mechanisms", "XOAUTH2")
                    .property("sample.user", USER)
                    .property("sample.password", TOKEN)
                    .property("sample.messages", 3)
                    .run();
            assertSent(run, 3);
            JsonNode line = judged(run, SampleApp.JAVAX_MAIL, "smtp.office365.com", server.port());
            assertIds(line, "hostname-verification-off");
            assertEquals(Report.parse("{\"mechanism\":\"XOAUTH2\",\"tls\":true,\"outcome\":\"success\"}"),
                    line.path("auth"));
            assertEquals(1, line.path("logins").asInt(), line::toString);
            assertEquals(3, line.path("messages").asInt(), line::toString);

            assertNoCredentials(run, report(), "XOAUTH2", USER, TOKEN);
            String initialResponse = Base64.getEncoder().withoutPadding().encodeToString(
                    ("user=" + USER + "\u0001auth=Bearer " + TOKEN + "\u0001\u0001").getBytes(StandardCharsets.UTF_8));
            for (String output : new String[] {Report.text(report()), run.stdout(), run.stderr()}) {
                assertFalse(output.contains(initialResponse) || output.contains(TOKEN), output);
            }
        }
    }

    /** Throttling replies to AUTH on any server: what they mean, and to log in less often. */
    @ParameterizedTest
    @ValueSource(strings = {
        "454 4.7.0 Too many login attempts, please try again later.", "421 4.7.0 Try again later, closing connection."})
    void throttledLoginsAreExplained(String reply) throws Exception {
        try (ScriptedSmtpServer server = server().reply("AUTH", reply).start()) {
            AgentRun.Result run = withAuth(startTlsRequired(send(SampleApp.JAVAX_MAIL, server)), "PLAIN").run();
            assertEquals(1, run.exitCode(), run::describe);
            JsonNode line = judged(run, SampleApp.JAVAX_MAIL, server.port());
            assertIds(line, "hostname-verification-off", "auth-failed");
            JsonNode failed = assertFinding(line, "auth-failed", "low", server.port(),
                    "connect once and send several messages over the connection", "wait before retrying");
            assertTrue(failed.path("message").asText().contains(reply.startsWith("454")
                    ? "refused AUTH PLAIN with 454 4.7.0, which means too many login attempts"
                    : "refused AUTH PLAIN with 421 4.7.0, which means the server is throttling this client"),
                    failed::toString);
            assertEquals(1, line.path("logins").asInt(), line::toString);
        }
    }
}
