package dev.smtpwatch.it.findings;

import static dev.smtpwatch.it.ItSupport.assertNoCredentials;
import static dev.smtpwatch.it.ItSupport.assertSent;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import dev.smtpwatch.it.AgentRun;
import dev.smtpwatch.it.SampleApp;
import dev.smtpwatch.it.postfix.PostfixServer;
import dev.smtpwatch.it.postfix.PostfixServer.Listener;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;

/**
 * The main scenarios once more against a real Postfix (skipped without root/Postfix unless
 * {@code SMTPWATCH_REQUIRE_POSTFIX=1}): the clean STARTTLS + AUTH and implicit TLS + AUTH sessions get no finding,
 * and the listeners that are wrong on purpose get theirs, with Postfix's log as the server-side witness.
 */
@PostfixServer.Required
class PostfixFindingsTest extends FindingsTestBase {
    private static final Duration WAIT = Duration.ofSeconds(10);
    private static PostfixServer postfix;

    @BeforeAll
    static void startPostfix() {
        postfix = PostfixServer.shared();
    }

    private AgentRun send(SampleApp app, Listener listener) {
        return send(app, postfix.port(listener))
                .property("javax.net.ssl.trustStore", postfix.trustStore())
                .property("javax.net.ssl.trustStorePassword", postfix.trustStorePassword());
    }

    private AgentRun withAuth(AgentRun run) {
        return run.property("mail.smtp.auth", "true")
                .property("mail.smtp.auth.mechanisms", "PLAIN")
                .property("sample.user", postfix.user())
                .property("sample.password", postfix.password());
    }

    private PostfixServer.Connection connection(Listener listener, long mark) {
        List<PostfixServer.Connection> connections = postfix.awaitConnections(listener, mark, 1, WAIT);
        assertEquals(1, connections.size(), connections::toString);
        return connections.get(0);
    }

    private void assertNoSecret(AgentRun.Result run) {
        assertNoCredentials(run, report(), "PLAIN", postfix.user(), postfix.password());
    }

    /** STARTTLS required on the submission listener, implicit TLS on the other: both clean, AUTH over TLS. */
    @ParameterizedTest
    @EnumSource(value = Listener.class, names = {"SUBMISSION", "IMPLICIT"})
    void cleanSessionWithAuth(Listener listener) {
        long mark = postfix.maillogMark();
        AgentRun run = withAuth(send(SampleApp.ANGUS_MAIL, listener));
        AgentRun.Result result = (listener.implicitTls() ? run.property("mail.smtp.ssl.enable", "true")
                : startTlsRequired(run)).run();
        assertSent(result, 1);
        assertEquals(PostfixServer.USER, connection(listener, mark).saslUsername());
        JsonNode line = judged(result, SampleApp.ANGUS_MAIL, postfix.port(listener));
        assertIds(line);
        assertNoSecret(result);
    }

    /**
     * The near misses of issue 13's findings against the real server: timeouts set (as in every run here), a
     * certificate good for ten years, a password login to a host that is no retiring provider, and a watchdog
     * threshold the session stays under. The report line still carries the certificate and the login count.
     */
    @Test
    void timeoutsSetLongLivedCertificateAndNoProviderGetNoneOfTheOperationalFindings() {
        int port = postfix.port(Listener.SUBMISSION);
        AgentRun.Result run = startTlsRequired(withAuth(send(SampleApp.ANGUS_MAIL, Listener.SUBMISSION)))
                .agentArgs(agentArgs() + ",stuck.seconds=5,cert.expiry.days=21")
                .run();
        assertSent(run, 1);
        JsonNode line = judged(run, SampleApp.ANGUS_MAIL, port);
        assertIds(line);
        assertEquals("CN=localhost", line.at("/tls/certificate/subject").asText(), line::toString);
        assertEquals("CN=smtpwatch test CA", line.at("/tls/certificate/issuer").asText(), line::toString);
        assertTrue(Instant.parse(line.at("/tls/certificate/notAfter").asText())
                .isAfter(Instant.now().plus(Duration.ofDays(365))), line::toString);
        assertEquals(1, line.path("logins").asInt(), line::toString);
        assertNoSecret(run);
    }

    /** Postfix without TLS: STARTTLS enabled but not required goes on in plaintext, credentials included. */
    @Test
    void noTlsListenerDowngradesAndGetsTheCredentialsInPlaintext() {
        long mark = postfix.maillogMark();
        int port = postfix.port(Listener.NOTLS);
        AgentRun.Result run = withAuth(send(SampleApp.JAVAX_MAIL, Listener.NOTLS))
                .property("mail.smtp.starttls.enable", "true")
                .run();
        assertSent(run, 1);
        assertEquals(PostfixServer.USER, connection(Listener.NOTLS, mark).saslUsername());
        JsonNode line = judged(run, SampleApp.JAVAX_MAIL, port);
        assertIds(line, "cleartext-auth", "starttls-downgrade", "cleartext-message");
        assertFinding(line, "starttls-downgrade", "critical", port, "mail.smtp.starttls.required=true");
        assertNoSecret(run);
    }

    /** The same with starttls.required=true: refused before AUTH; Postfix saw no AUTH at all. */
    @Test
    void noTlsListenerWithStartTlsRequiredGetsNoCredentials() {
        long mark = postfix.maillogMark();
        int port = postfix.port(Listener.NOTLS);
        AgentRun.Result run = startTlsRequired(withAuth(send(SampleApp.JAVAX_MAIL, Listener.NOTLS))).run();
        assertTrue(failure(run).contains("STARTTLS is required but host does not support STARTTLS"),
                run::describe);
        PostfixServer.Connection connection = connection(Listener.NOTLS, mark);
        assertEquals(0, connection.total("auth"), connection::toString);
        JsonNode line = judged(run, SampleApp.JAVAX_MAIL, port);
        assertIds(line, "starttls-unavailable");
        assertNoSecret(run);
    }

    /** Postfix with smtpd_tls_auth_only=yes hides AUTH before TLS, so a plaintext client gets 530 on MAIL. */
    @Test
    void submissionListenerRefusesPlaintextMail() {
        int port = postfix.port(Listener.SUBMISSION);
        AgentRun.Result run = send(SampleApp.ANGUS_MAIL, Listener.SUBMISSION).run();
        assertTrue(failure(run).contains("530"), run::describe);
        JsonNode line = judged(run, SampleApp.ANGUS_MAIL, port);
        assertIds(line, "starttls-not-used", "server-requires-starttls");
        assertFinding(line, "server-requires-starttls", "high", port, "mail.smtp.starttls.enable=true",
                "mail.smtp.starttls.required=true");
    }

    @Test
    void wrongHostAndExpiredCertificatesFailTheHandshake() {
        for (Listener listener : List.of(Listener.WRONG_HOST, Listener.EXPIRED)) {
            int port = postfix.port(listener);
            AgentRun.Result run = startTlsRequired(send(SampleApp.ANGUS_MAIL, listener)).run();
            assertEquals(1, run.exitCode(), run::describe);
            JsonNode line = judged(run, SampleApp.ANGUS_MAIL, port);
            assertIds(line, "tls-handshake-failed");
            JsonNode failed = assertFinding(line, "tls-handshake-failed", "high", port);
            assertEquals(listener == Listener.EXPIRED ? "expired-certificate" : "hostname-mismatch",
                    failed.path("detail").asText(), failed::toString);
            // one report per test: start the next run on an empty file
            report().toFile().delete();
        }
    }
}
