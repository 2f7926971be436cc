package dev.smtpwatch.it.probe;

import static dev.smtpwatch.it.probe.Probe.ids;
import static dev.smtpwatch.it.probe.Probe.trusting;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.smtpwatch.it.ItSupport;
import dev.smtpwatch.it.findings.LegacyTlsServer;
import dev.smtpwatch.testserver.ScriptedSmtpServer;
import dev.smtpwatch.testserver.SessionTranscript;
import dev.smtpwatch.testserver.TestPki;
import dev.smtpwatch.testserver.TlsMode;
import java.io.IOException;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.ServerSocket;
import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.Assumptions;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * {@code probe} against the misbehaviour a real server won't show on demand: STARTTLS answered 454, TLS 1.1 only,
 * a server that greets and hangs, silence on an implicit-TLS port, and port 465 answering in plaintext. The scripted
 * server's transcript shows what the probe sent: EHLO, STARTTLS and QUIT only.
 */
class ScriptedServerProbeTest {
    @TempDir
    Path dir;

    @Test
    void startTlsAnswered454() throws Exception {
        try (ScriptedSmtpServer server = server(TlsMode.STARTTLS_REQUIRED)
                .reply("STARTTLS", "454 4.7.0 TLS not available due to local problem")
                .start()) {
            Probe.Json probe = probe(server.port());

            assertEquals(1, probe.run().exitCode(), probe::describe);
            assertEquals("starttls", probe.at("/mode").asText());
            assertEquals(454, probe.at("/starttls/reply").asInt());
            assertTrue(!probe.at("/tls/attempted").asBoolean());
            assertEquals(List.of("starttls-unavailable"), ids(probe.out()));
            assertEquals("127.0.0.1:" + server.port() + " offers STARTTLS but answered it with 454 instead of 220,"
                    + " so no TLS session can start", probe.at("/findings/0/message").asText());
            assertEquals(List.of("EHLO", "STARTTLS", "QUIT"), onlyConnection(server).verbs());
        }
    }

    /** JDK 17 refuses TLS 1.1 ({@code jdk.tls.disabledAlgorithms}); a JVM that re-enables it gets weak TLS. */
    @Test
    void tls11OnlyAsThisJvmAndAsARelaxedJvmSeeIt() throws Exception {
        try (LegacyTlsServer server = LegacyTlsServer.start("TLSv1.1")) {
            Probe.Json strict = probe(server.port());

            assertEquals(1, strict.run().exitCode(), strict::describe);
            assertEquals("protocol-version", strict.at("/tls/problem").asText(), strict::describe);
            assertTrue(!strict.at("/tls/established").asBoolean());
            assertEquals(List.of("tls-handshake-failed"), ids(strict.out()));
            assertTrue(strict.at("/findings/0/fix").asText().endsWith("this JVM offers TLSv1.3 TLSv1.2"),
                    strict::describe);

            List<String> relaxed = new java.util.ArrayList<>(trusting(ItSupport.pki().trustStore()));
            relaxed.add("-Djava.security.properties=" + server.securityProperties());
            Probe.Json weak = Probe.json(dir, relaxed, "probe", "127.0.0.1:" + server.port());

            assertEquals(1, weak.run().exitCode(), weak::describe);
            assertEquals("TLSv1.1", weak.at("/tls/protocol").asText(), weak::describe);
            assertEquals(List.of("weak-tls"), ids(weak.out()));
        }
    }

    @Test
    void greetsAndHangs() throws Exception {
        try (ScriptedSmtpServer server = server(TlsMode.STARTTLS_REQUIRED).hangOn("EHLO").start()) {
            Probe.Json probe = probe(server.port(), "--timeout", "1");

            assertEquals(1, probe.run().exitCode(), probe::describe);
            assertEquals(220, probe.at("/greeting/code").asInt());
            assertEquals(List.of("session-stuck"), ids(probe.out()));
            assertEquals("127.0.0.1:" + server.port() + " gave no reply to EHLO within 1 s",
                    probe.at("/findings/0/message").asText());
            assertEquals("high", probe.at("/findings/0/severity").asText());
        }
    }

    @Test
    void noGreetingAfterTheHandshakeOnAnImplicitPort() throws Exception {
        try (ScriptedSmtpServer server = server(TlsMode.IMPLICIT).noGreeting().start()) {
            Probe.Json probe = probe(server.port(), "--timeout", "1");

            assertEquals(1, probe.run().exitCode(), probe::describe);
            assertEquals("implicit", probe.at("/mode").asText());
            assertTrue(probe.at("/tls/trusted").asBoolean(), probe::describe);
            assertEquals(List.of("session-stuck"), ids(probe.out()));
            assertEquals("127.0.0.1:" + server.port() + " completed the TLS handshake but sent no greeting within 1 s",
                    probe.at("/findings/0/message").asText());
        }
    }

    @Test
    void silentInPlaintextAndInTls() throws Exception {
        try (ScriptedSmtpServer server = server(TlsMode.NONE).noGreeting().start()) {
            Probe.Json probe = probe(server.port(), "--timeout", "1");

            assertEquals(1, probe.run().exitCode(), probe::describe);
            assertEquals("unknown", probe.at("/mode").asText());
            assertEquals(List.of("session-stuck"), ids(probe.out()));
            assertEquals("127.0.0.1:" + server.port() + " accepted the connection but sent no greeting and did not"
                    + " answer a TLS handshake within 1 s", probe.at("/findings/0/message").asText());
            assertEquals(0, probe.at("/settings/jakartaMail").size());
        }
    }

    /**
     * Port 465 is probed with TLS first: an implicit-TLS server answers at once, a plaintext one is probed again in
     * plaintext. Needs port 465 free on loopback (the findings tests bind it too): skipped when it is taken.
     */
    @Test
    void port465ImplicitAtOnceAndPlaintextTheOtherWayRound() throws Exception {
        Assumptions.assumeTrue(free(465), "port 465 is in use");
        try (ScriptedSmtpServer implicit = server(TlsMode.IMPLICIT).port(465).start()) {
            Probe.Json probe = probe(465);

            assertEquals(0, probe.run().exitCode(), probe::describe);
            assertEquals("implicit", probe.at("/mode").asText());
            assertEquals(List.of(), ids(probe.out()));
            assertEquals(List.of("EHLO", "QUIT"), onlyConnection(implicit).verbs());
        }
        try (ScriptedSmtpServer plaintext = server(TlsMode.STARTTLS_REQUIRED).port(465).start()) {
            Probe.Json probe = probe(465);

            assertEquals(0, probe.run().exitCode(), probe::describe);
            assertEquals("starttls", probe.at("/mode").asText());
            assertEquals(List.of("unexpected-tls-mode"), ids(probe.out()));
            assertEquals("info", probe.at("/findings/0/severity").asText());
            assertEquals("true", probe.at("/settings/jakartaMail/mail.smtp.starttls.enable").asText());
            List<SessionTranscript> connections = plaintext.awaitConnections(2, ItSupport.SERVER_WAIT);
            assertEquals(List.of("EHLO", "STARTTLS", "EHLO", "QUIT"), connections.get(1).verbs(),
                    connections::toString);
        }
    }

    private static ScriptedSmtpServer.Builder server(TlsMode mode) {
        return ScriptedSmtpServer.builder()
                .tls(mode, ItSupport.pki().serverContext(TestPki.Cert.LOCALHOST))
                .auth(ItSupport.USER, ItSupport.CANARY_PASSWORD);
    }

    private Probe.Json probe(int port, String... options) throws Exception {
        List<String> args = new java.util.ArrayList<>(List.of("probe", "127.0.0.1:" + port));
        args.addAll(List.of(options));
        return Probe.json(dir, trusting(ItSupport.pki().trustStore()), args.toArray(new String[0]));
    }

    private static SessionTranscript onlyConnection(ScriptedSmtpServer server) throws InterruptedException {
        List<SessionTranscript> connections = server.awaitConnections(1, ItSupport.SERVER_WAIT);
        assertEquals(1, connections.size(), connections::toString);
        return connections.get(0);
    }

    private static boolean free(int port) {
        try (ServerSocket socket = new ServerSocket()) {
            socket.bind(new InetSocketAddress(InetAddress.getByName("127.0.0.1"), port));
            return true;
        } catch (IOException inUse) {
            return false;
        }
    }
}
