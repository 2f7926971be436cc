package dev.smtpwatch.testserver;

import static dev.smtpwatch.testserver.RawSmtpClient.base64;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.smtpwatch.testserver.RawSmtpClient.Reply;
import dev.smtpwatch.testserver.TestPki.Cert;
import java.net.SocketTimeoutException;
import java.time.Duration;
import java.util.Arrays;
import java.util.List;
import javax.net.ssl.SSLHandshakeException;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;

class ScriptedSmtpServerTest {
    private static final Duration WAIT = Duration.ofSeconds(5);

    private final TestPki pki = SharedPki.get();
    private ScriptedSmtpServer server;

    @AfterEach
    void closeServer() throws Exception {
        if (server != null) {
            server.close();
        }
    }

    @Test
    void plainServerGreetsAdvertisesNoStartTlsAndRefusesIt() throws Exception {
        server = ScriptedSmtpServer.builder().start();
        try (RawSmtpClient client = RawSmtpClient.connect(server.port())) {
            assertEquals("220 localhost ESMTP scripted", client.readLine());
            Reply ehlo = client.command("EHLO client");
            assertEquals(Arrays.asList("250-localhost", "250-PIPELINING", "250-SIZE 10240000", "250 8BITMIME"), ehlo.lines);
            assertEquals(502, client.command("STARTTLS").code);
            assertEquals(221, client.command("QUIT").code);
            assertNull(client.readLine());
        }
        SessionTranscript session = onlySession();
        assertEquals(Arrays.asList("EHLO", "STARTTLS", "QUIT"), session.verbs());
        assertEquals(502, session.commands().get(1).reply());
    }

    @Test
    void xoauth2WithTheRightTokenIsAcceptedAndAnyOtherRejected() throws Exception {
        server = ScriptedSmtpServer.builder().auth("user", "secret").authMechanisms("XOAUTH2", "PLAIN")
                .oauthToken("ya29.token").start();
        try (RawSmtpClient client = RawSmtpClient.connect(server.port())) {
            client.reply();
            assertTrue(client.command("EHLO client").lines.contains("250-AUTH XOAUTH2 PLAIN"));
            assertEquals(535, client.command("AUTH XOAUTH2 " + base64("user=user\u0001auth=Bearer other\u0001\u0001"))
                    .code);
            assertEquals(235, client.command("AUTH XOAUTH2 "
                    + base64("user=user\u0001auth=Bearer ya29.token\u0001\u0001")).code);
            assertEquals(221, client.command("QUIT").code);
        }
        assertTrue(onlySession().authenticated());
    }

    @Test
    void hangAtEndOfDataReadsTheMessageAndNeverAnswers() throws Exception {
        server = ScriptedSmtpServer.builder().hangAtEndOfData().start();
        try (RawSmtpClient client = RawSmtpClient.connect(server.port())) {
            client.reply();
            client.command("EHLO client");
            assertEquals(250, client.command("MAIL FROM:<a@example.com>").code);
            assertEquals(250, client.command("RCPT TO:<b@example.org>").code);
            assertEquals(354, client.command("DATA").code);
            client.send("Subject: hi\r\n\r\nbody\r\n.");
            client.setTimeout(300);
            assertThrows(SocketTimeoutException.class, client::readLine);
        }
        assertEquals(Arrays.asList(), onlySession().queueIds());
    }

    @Test
    void fullSessionOverStartTlsWithAuthPlain() throws Exception {
        server = ScriptedSmtpServer.builder()
                .tls(TlsMode.STARTTLS, pki.serverContext(Cert.LOCALHOST)).auth("user", "secret").start();
        String queueId;
        try (RawSmtpClient client = RawSmtpClient.connect(server.port())) {
            client.reply();
            Reply ehlo = client.command("EHLO client");
            assertTrue(ehlo.lines.contains("250-STARTTLS"), ehlo::toString);
            assertTrue(ehlo.lines.contains("250-AUTH PLAIN LOGIN"), ehlo::toString);
            assertEquals(220, client.startTls(pki.clientContext()).code);
            Reply ehloOverTls = client.command("EHLO client");
            assertFalse(ehloOverTls.lines.contains("250-STARTTLS"), ehloOverTls::toString);
            assertEquals(235, client.command("AUTH PLAIN " + base64("\0user\0secret")).code);
            assertEquals(250, client.command("MAIL FROM:<a@example.com>").code);
            assertEquals(250, client.command("RCPT TO:<b@example.org>").code);
            assertEquals(354, client.command("DATA").code);
            client.send("Subject: hi\r\n\r\nbody\r\n..leading dot\r\n.");
            Reply queued = client.reply();
            assertEquals(250, queued.code);
            assertTrue(queued.lastLine().matches("250 2\\.0\\.0 Ok: queued as [A-Za-z0-9]{10,12}"), queued::toString);
            queueId = queued.lastLine().substring("250 2.0.0 Ok: queued as ".length());
            assertEquals(221, client.command("QUIT").code);
        }
        SessionTranscript session = onlySession();
        assertEquals("[EHLO 250, STARTTLS 220, EHLO/tls 250, AUTH/tls 235, MAIL/tls 250, RCPT/tls 250, DATA/tls 354,"
                + " QUIT/tls 221]", session.commands().toString());
        assertEquals("PLAIN", session.authMechanism());
        assertTrue(session.authenticated());
        assertEquals(Arrays.asList(queueId), session.queueIds());
        assertEquals(1, server.messagesReceived());
        assertTrue(session.tlsProtocol().startsWith("TLSv1."), session.tlsProtocol());
        assertFalse(session.toString().contains("secret"), session::toString);
    }

    @Test
    void authLoginWithItsTwoContinuations() throws Exception {
        server = ScriptedSmtpServer.builder().auth("user", "secret").start();
        try (RawSmtpClient client = RawSmtpClient.connect(server.port())) {
            client.reply();
            client.command("EHLO client");
            assertEquals("334 VXNlcm5hbWU6", client.command("AUTH LOGIN").lastLine());
            assertEquals("334 UGFzc3dvcmQ6", client.command(base64("user")).lastLine());
            assertEquals("235 2.7.0 Authentication successful", client.command(base64("secret")).lastLine());
            assertEquals(503, client.command("AUTH LOGIN").code);
        }
        SessionTranscript session = onlySession();
        assertEquals("[EHLO 250, AUTH 235, AUTH 503]", session.commands().toString());
        assertEquals("LOGIN", session.authMechanism());
    }

    @Test
    void wrongCredentialsAreRejectedWithEitherMechanism() throws Exception {
        server = ScriptedSmtpServer.builder().auth("user", "secret").start();
        try (RawSmtpClient client = RawSmtpClient.connect(server.port())) {
            client.reply();
            client.command("EHLO client");
            client.command("AUTH LOGIN " + base64("user"));
            assertEquals("535 5.7.8 Error: authentication failed", client.command(base64("wrong")).lastLine());
            assertEquals("334 ", client.command("AUTH PLAIN").lastLine());
            assertEquals(535, client.command(base64("\0user\0wrong")).code);
            assertEquals(501, client.command("AUTH PLAIN not-base64!").code);
            assertEquals(504, client.command("AUTH CRAM-MD5").code);
        }
        SessionTranscript session = onlySession();
        assertEquals("[EHLO 250, AUTH 535, AUTH 535, AUTH 501, AUTH 504]", session.commands().toString());
        assertFalse(session.authenticated());
    }

    @Test
    void requiredStartTlsHidesAuthAndRefusesMailAndAuthUntilTls() throws Exception {
        server = ScriptedSmtpServer.builder()
                .tls(TlsMode.STARTTLS_REQUIRED, pki.serverContext(Cert.LOCALHOST)).auth("user", "secret").start();
        try (RawSmtpClient client = RawSmtpClient.connect(server.port())) {
            client.reply();
            Reply ehlo = client.command("EHLO client");
            assertTrue(ehlo.lines.contains("250-STARTTLS"), ehlo::toString);
            assertFalse(ehlo.toString().contains("AUTH"), ehlo::toString);
            assertEquals("530 5.7.0 Must issue a STARTTLS command first", client.command("MAIL FROM:<a@example.com>").lastLine());
            assertEquals(530, client.command("AUTH PLAIN " + base64("\0user\0secret")).code);
            client.startTls(pki.clientContext());
            assertTrue(client.command("EHLO client").lines.contains("250-AUTH PLAIN LOGIN"));
            assertEquals(250, client.command("MAIL FROM:<a@example.com>").code);
        }
        assertEquals("[EHLO 250, MAIL 530, AUTH 530, STARTTLS 220, EHLO/tls 250, MAIL/tls 250]",
                onlySession().commands().toString());
    }

    @Test
    void authAdvertisedBeforeTlsIsStillRefusedUntilTls() throws Exception {
        server = ScriptedSmtpServer.builder()
                .tls(TlsMode.STARTTLS_REQUIRED, pki.serverContext(Cert.LOCALHOST)).auth("user", "secret")
                .advertiseAuthBeforeTls().start();
        try (RawSmtpClient client = RawSmtpClient.connect(server.port())) {
            client.reply();
            assertTrue(client.command("EHLO client").lines.contains("250-AUTH PLAIN LOGIN"));
            assertEquals(530, client.command("AUTH PLAIN " + base64("\0user\0secret")).code);
            client.startTls(pki.clientContext());
            assertEquals(235, client.command("AUTH PLAIN " + base64("\0user\0secret")).code);
        }
        assertEquals("[EHLO 250, AUTH 530, STARTTLS 220, AUTH/tls 235]", onlySession().commands().toString());
    }

    @Test
    void configuredRecipientIsRejected() throws Exception {
        server = ScriptedSmtpServer.builder().rejectRecipient("Nobody@Example.org").start();
        try (RawSmtpClient client = RawSmtpClient.connect(server.port())) {
            client.reply();
            client.command("HELO client");
            client.command("MAIL FROM:<a@example.com>");
            assertEquals("550 5.1.1 <nobody@example.org>: Recipient address rejected",
                    client.command("RCPT TO:<nobody@example.org> NOTIFY=NEVER").lastLine());
            assertEquals(503, client.command("DATA").code);
            assertEquals(250, client.command("RCPT TO:<b@example.org>").code);
        }
        assertEquals("[HELO 250, MAIL 250, RCPT 550, DATA 503, RCPT 250]", onlySession().commands().toString());
    }

    @Test
    void implicitTlsGreetsOnlyAfterTheHandshake() throws Exception {
        server = ScriptedSmtpServer.builder().tls(TlsMode.IMPLICIT, pki.serverContext(Cert.LOCALHOST)).start();
        try (RawSmtpClient client = RawSmtpClient.connectImplicitTls(server.port(), pki.clientContext())) {
            assertEquals(220, client.reply().code);
            assertFalse(client.command("EHLO client").toString().contains("STARTTLS"));
            assertEquals(554, client.command("STARTTLS").code);
        }
        assertEquals("[EHLO/tls 250, STARTTLS/tls 554]", onlySession().commands().toString());
    }

    @Test
    void plaintextClientOnImplicitTlsPortGetsNoGreeting() throws Exception {
        server = ScriptedSmtpServer.builder().tls(TlsMode.IMPLICIT, pki.serverContext(Cert.LOCALHOST)).start();
        try (RawSmtpClient client = RawSmtpClient.connect(server.port())) {
            client.setTimeout(300);
            assertThrows(SocketTimeoutException.class, client::readLine);
        }
        assertTrue(onlySession().tlsFailure() != null);
    }

    @ParameterizedTest
    @EnumSource(value = Cert.class, names = {"WRONG_HOST", "EXPIRED", "SELF_SIGNED"})
    void clientCheckingCertificatesRejectsTheBadOnes(Cert bad) throws Exception {
        server = ScriptedSmtpServer.builder().tls(TlsMode.IMPLICIT, pki.serverContext(bad)).start();
        assertThrows(SSLHandshakeException.class,
                () -> RawSmtpClient.connectImplicitTls(server.port(), pki.clientContext()).close());
        SessionTranscript session = onlySession();
        assertNull(session.tlsProtocol());
        assertTrue(session.tlsFailure() != null, session::toString);
    }

    @Test
    void tlsProtocolsRestrictWhatIsNegotiated() throws Exception {
        server = ScriptedSmtpServer.builder().tls(TlsMode.STARTTLS, pki.serverContext(Cert.LOCALHOST))
                .tlsProtocols("TLSv1.2").start();
        try (RawSmtpClient client = RawSmtpClient.connect(server.port())) {
            client.reply();
            client.startTls(pki.clientContext());
            assertEquals("TLSv1.2", client.tlsProtocol());
            client.command("QUIT");
        }
        assertEquals("TLSv1.2", onlySession().tlsProtocol());
    }

    @Test
    void strippedStartTlsIsNeitherAdvertisedNorAccepted() throws Exception {
        server = ScriptedSmtpServer.builder().tls(TlsMode.STARTTLS, pki.serverContext(Cert.LOCALHOST))
                .stripStartTls().start();
        try (RawSmtpClient client = RawSmtpClient.connect(server.port())) {
            client.reply();
            assertFalse(client.command("EHLO client").toString().contains("STARTTLS"));
            assertEquals(502, client.command("STARTTLS").code);
        }
        assertEquals("[EHLO 250, STARTTLS 502]", onlySession().commands().toString());
    }

    @Test
    void scriptedReplyReplacesTheNormalHandling() throws Exception {
        server = ScriptedSmtpServer.builder().tls(TlsMode.STARTTLS, pki.serverContext(Cert.LOCALHOST))
                .reply("starttls", "454 4.7.0 TLS not available").reply("MAIL", "503 5.5.1 Error: bad sequence").start();
        try (RawSmtpClient client = RawSmtpClient.connect(server.port())) {
            client.reply();
            client.command("EHLO client");
            assertEquals("454 4.7.0 TLS not available", client.command("STARTTLS").lastLine());
            assertEquals("503 5.5.1 Error: bad sequence", client.command("MAIL FROM:<a@example.com>").lastLine());
        }
        assertEquals("[EHLO 250, STARTTLS 454, MAIL 503]", onlySession().commands().toString());
    }

    @Test
    void dropOnVerbClosesWithoutReply() throws Exception {
        server = ScriptedSmtpServer.builder().dropOn("MAIL").start();
        try (RawSmtpClient client = RawSmtpClient.connect(server.port())) {
            client.reply();
            client.command("EHLO client");
            client.send("MAIL FROM:<a@example.com>");
            assertNull(client.readLine());
        }
        assertEquals("[EHLO 250, MAIL -1]", onlySession().commands().toString());
    }

    @Test
    void garbageGreetingIsSentVerbatim() throws Exception {
        server = ScriptedSmtpServer.builder().greeting("hello?").start();
        try (RawSmtpClient client = RawSmtpClient.connect(server.port())) {
            assertEquals("hello?", client.readLine());
        }
    }

    @Test
    void silentServerSendsNoGreetingAndAnswersNothing() throws Exception {
        server = ScriptedSmtpServer.builder().noGreeting().start();
        try (RawSmtpClient client = RawSmtpClient.connect(server.port())) {
            client.setTimeout(300);
            assertThrows(SocketTimeoutException.class, client::readLine);
            client.send("EHLO client");
            assertThrows(SocketTimeoutException.class, client::readLine);
        }
        assertEquals(Arrays.asList(), onlySession().verbs());
    }

    @Test
    void mailRightAfterStartTlsIsAcceptedAndRecordedUnlessEhloIsRequired() throws Exception {
        for (boolean requireEhlo : new boolean[] {false, true}) {
            ScriptedSmtpServer.Builder builder = ScriptedSmtpServer.builder()
                    .tls(TlsMode.STARTTLS, pki.serverContext(Cert.LOCALHOST));
            if (requireEhlo) {
                builder.requireEhlo();
            }
            try (ScriptedSmtpServer skipping = builder.start();
                    RawSmtpClient client = RawSmtpClient.connect(skipping.port())) {
                client.reply();
                client.command("EHLO client");
                client.startTls(pki.clientContext());
                assertEquals(requireEhlo ? 503 : 250, client.command("MAIL FROM:<a@example.com>").code);
                client.command("QUIT");
                assertEquals(Arrays.asList("EHLO", "STARTTLS", "MAIL", "QUIT"),
                        skipping.awaitConnections(1, WAIT).get(0).verbs());
            }
        }
    }

    @Test
    void awaitConnectionsWaitsForTheConnectionsToEnd() throws Exception {
        server = ScriptedSmtpServer.builder().start();
        RawSmtpClient first = RawSmtpClient.connect(server.port());
        first.reply();
        try (RawSmtpClient second = RawSmtpClient.connect(server.port())) {
            second.command("QUIT");
        }
        assertEquals(1, server.awaitConnections(1, WAIT).stream().filter(SessionTranscript::ended).count());
        assertThrows(IllegalStateException.class, () -> server.awaitConnections(2, Duration.ofMillis(100)));
        first.close();
        List<SessionTranscript> sessions = server.awaitConnections(2, WAIT);
        assertEquals(Arrays.asList(1, 2), Arrays.asList(sessions.get(0).number(), sessions.get(1).number()));
    }

    private SessionTranscript onlySession() throws InterruptedException {
        List<SessionTranscript> sessions = server.awaitConnections(1, WAIT);
        assertEquals(1, sessions.size(), sessions::toString);
        return sessions.get(0);
    }
}
