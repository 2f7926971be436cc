package dev.smtpwatch.it.probe;

import static dev.smtpwatch.it.probe.Probe.ids;
import static dev.smtpwatch.it.probe.Probe.texts;
import static dev.smtpwatch.it.probe.Probe.trusting;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.smtpwatch.it.cli.CliJar;
import dev.smtpwatch.it.postfix.PostfixServer;
import dev.smtpwatch.it.postfix.PostfixServer.Connection;
import dev.smtpwatch.it.postfix.PostfixServer.Listener;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * {@code probe} against every listener of the real Postfix, in a JVM of its own that trusts the test CA through
 * {@code -Djavax.net.ssl.trustStore}, as a user would run it. Postfix's log is the referee of what the probe sent:
 * the disconnect summary of each probe connection lists EHLO, STARTTLS and QUIT only, and there is no SASL login
 * and no MAIL transaction.
 */
@PostfixServer.Required
class PostfixProbeTest {
    private static PostfixServer postfix;

    @TempDir
    Path dir;

    @BeforeAll
    static void startPostfix() {
        postfix = PostfixServer.shared();
    }

    @Test
    void submissionIsUsableAndSafe() throws Exception {
        long mark = postfix.maillogMark();
        Probe.Json probe = probe(Listener.SUBMISSION);

        assertEquals(0, probe.run().exitCode(), probe::describe);
        assertEquals("starttls", probe.at("/mode").asText());
        assertEquals(220, probe.at("/greeting/code").asInt());
        assertTrue(probe.at("/starttls/offered").asBoolean());
        assertEquals(220, probe.at("/starttls/reply").asInt());
        assertEquals("TLSv1.3", probe.at("/tls/protocol").asText());
        assertTrue(probe.at("/tls/trusted").asBoolean(), probe::describe);
        assertTrue(probe.at("/tls/problem").isNull());
        assertEquals(List.of(), texts(probe.at("/auth/beforeTls")), "smtpd_tls_auth_only=yes");
        assertEquals(List.of("PLAIN", "LOGIN"), texts(probe.at("/auth/afterTls")));
        assertTrue(texts(probe.at("/ehlo/beforeTls")).contains("STARTTLS"));
        assertTrue(probe.at("/certificate/hostnameMatch").asBoolean());
        assertEquals("ip-address", probe.at("/certificate/matchedBy").asText());
        assertTrue(probe.at("/certificate/chainTrusted").asBoolean());
        assertEquals("CN=localhost", probe.at("/certificate/chain/0/subject").asText());
        assertEquals(List.of("DNS:localhost", "IP:127.0.0.1"), texts(probe.at("/certificate/chain/0/names")));
        assertEquals(List.of(), ids(probe.out()));
        assertEquals("true", probe.at("/settings/jakartaMail/mail.smtp.starttls.required").asText());
        assertEquals("true", probe.at("/settings/springBoot/spring.mail.properties.mail.smtp.auth").asText());
        assertProbeOnly(Listener.SUBMISSION, mark, "ehlo=2 starttls=1 quit=1 commands=4");
    }

    @Test
    void submissionInTextAsAUserReadsIt() throws Exception {
        int port = postfix.port(Listener.SUBMISSION);
        CliJar.Result run = CliJar.run(dir, trusting(postfix.trustStore()), "probe", "127.0.0.1:" + port,
                "--name", "localhost");

        assertEquals(0, run.exitCode(), run::toString);
        List<String> out = run.outLines();
        assertEquals("smtpwatch probe 127.0.0.1:" + port + ", as this JVM sees it", out.get(0));
        assertTrue(out.contains("  mode         STARTTLS (plaintext greeting, STARTTLS offered, answered 220)"),
                run::toString);
        assertTrue(out.contains("               AUTH not offered"), run::toString);
        assertTrue(out.contains("               AUTH PLAIN LOGIN"), run::toString);
        assertTrue(out.contains("  certificate  chain trusted by this JVM"), run::toString);
        assertTrue(out.contains("  host name    localhost matches the certificate (DNS name entry)"), run::toString);
        assertTrue(out.contains("No findings: usable and safe."), run::toString);
        assertTrue(out.contains("    spring.mail.properties.mail.smtp.starttls.required=true"), run::toString);
        assertEquals("", run.err());
    }

    @Test
    void implicitTlsIsDetectedAfterTheGreetingTimeout() throws Exception {
        long mark = postfix.maillogMark();
        Probe.Json probe = probe(Listener.IMPLICIT, "--timeout", "2");

        assertEquals(0, probe.run().exitCode(), probe::describe);
        assertEquals("implicit", probe.at("/mode").asText());
        assertTrue(probe.at("/greeting/tls").asBoolean());
        assertTrue(probe.at("/auth/beforeTls").isNull(), "no plaintext phase");
        assertEquals(List.of("PLAIN", "LOGIN"), texts(probe.at("/auth/afterTls")));
        assertEquals(List.of(), ids(probe.out()));
        assertEquals("smtps", probe.at("/settings/jakartaMail/mail.transport.protocol").asText());
        assertEquals("true", probe.at("/settings/jakartaMail/mail.smtps.auth").asText());
        assertEquals("smtps", probe.at("/settings/springBoot/spring.mail.protocol").asText());
        assertProbeOnly(Listener.IMPLICIT, mark, "ehlo=1 quit=1 commands=2");
    }

    @Test
    void legacyOffersAuthInPlaintext() throws Exception {
        long mark = postfix.maillogMark();
        Probe.Json probe = probe(Listener.LEGACY);

        assertEquals(1, probe.run().exitCode(), probe::describe);
        assertEquals("starttls", probe.at("/mode").asText());
        assertEquals(List.of("PLAIN", "LOGIN"), texts(probe.at("/auth/beforeTls")));
        assertEquals(List.of("auth-offered-before-tls"), ids(probe.out()));
        assertEquals("medium", probe.at("/findings/0/severity").asText());
        assertProbeOnly(Listener.LEGACY, mark, "ehlo=2 starttls=1 quit=1 commands=4");
    }

    @Test
    void noTlsAtAll() throws Exception {
        long mark = postfix.maillogMark();
        Probe.Json probe = probe(Listener.NOTLS);

        assertEquals(1, probe.run().exitCode(), probe::describe);
        assertEquals("none", probe.at("/mode").asText());
        assertTrue(!probe.at("/starttls/offered").asBoolean());
        assertTrue(probe.at("/starttls/reply").isNull(), "never sent when not offered");
        assertTrue(!probe.at("/tls/attempted").asBoolean());
        assertTrue(probe.at("/certificate").isNull());
        assertEquals(List.of("starttls-unavailable", "auth-offered-before-tls"), ids(probe.out()));
        assertEquals("high", probe.at("/findings/0/severity").asText());
        assertProbeOnly(Listener.NOTLS, mark, "ehlo=1 quit=1 commands=2");
    }

    @Test
    void wrongHostFailsTheIdentityCheck() throws Exception {
        long mark = postfix.maillogMark();
        Probe.Json probe = probe(Listener.WRONG_HOST);

        assertEquals(1, probe.run().exitCode(), probe::describe);
        assertTrue(!probe.at("/tls/trusted").asBoolean());
        assertEquals("hostname-mismatch", probe.at("/tls/problem").asText());
        assertTrue(probe.at("/certificate/chainTrusted").asBoolean(), "same CA");
        assertTrue(!probe.at("/certificate/hostnameMatch").asBoolean());
        assertEquals(List.of("tls-handshake-failed"), ids(probe.out()));
        assertEquals("hostname-mismatch", probe.at("/findings/0/detail").asText());
        assertTrue(probe.at("/findings/0/fix").asText().contains("(DNS:wrong.example)"), probe::describe);
        assertProbeOnly(Listener.WRONG_HOST, mark, "ehlo=2 starttls=1 quit=1 commands=4");
    }

    @Test
    void expiredCertificate() throws Exception {
        long mark = postfix.maillogMark();
        Probe.Json probe = probe(Listener.EXPIRED);

        assertEquals(1, probe.run().exitCode(), probe::describe);
        assertEquals("expired-certificate", probe.at("/tls/problem").asText());
        assertTrue(!probe.at("/certificate/chainTrusted").asBoolean());
        assertTrue(probe.at("/certificate/chain/0/daysLeft").asLong() < 0);
        assertEquals(List.of("tls-handshake-failed"), ids(probe.out()));
        assertEquals("expired-certificate", probe.at("/findings/0/detail").asText());
        assertProbeOnly(Listener.EXPIRED, mark, "ehlo=2 starttls=1 quit=1 commands=4");
    }

    /** The same server through the JDK's own cacerts: what an app without the trust store option sees. */
    @Test
    void submissionWithoutTheTrustStoreIsUntrusted() throws Exception {
        long mark = postfix.maillogMark();
        Probe.Json probe = Probe.json(dir, List.of(), "probe", "127.0.0.1:" + postfix.port(Listener.SUBMISSION));

        assertEquals(1, probe.run().exitCode(), probe::describe);
        assertEquals("the JDK's cacerts", probe.at("/jvm/trustStore").asText());
        assertEquals("untrusted-certificate", probe.at("/tls/problem").asText());
        assertTrue(probe.at("/certificate/trustError").asText().contains("PKIX path building failed"),
                probe::describe);
        assertEquals(List.of("tls-handshake-failed"), ids(probe.out()));
        assertTrue(probe.at("/findings/0/fix").asText().contains("-Djavax.net.ssl.trustStore=<path>"));
        assertProbeOnly(Listener.SUBMISSION, mark, "ehlo=2 starttls=1 quit=1 commands=4");
    }

    private Probe.Json probe(Listener listener, String... options) throws Exception {
        List<String> args = new java.util.ArrayList<>(List.of("probe", "127.0.0.1:" + postfix.port(listener)));
        args.addAll(List.of(options));
        return Probe.json(dir, trusting(postfix.trustStore()), args.toArray(new String[0]));
    }

    /** One connection from the probe, with exactly these commands; no SASL login, no MAIL. */
    private static void assertProbeOnly(Listener listener, long mark, String summary) {
        List<Connection> connections = postfix.awaitConnections(listener, mark, 1, Duration.ofSeconds(10));
        assertEquals(1, connections.size(), connections::toString);
        Connection probe = connections.get(0);
        assertEquals(summary, probe.summary(), probe.lines()::toString);
        assertEquals(0, probe.total("auth"), probe::toString);
        assertEquals(0, probe.total("mail"), probe::toString);
        assertNull(probe.saslMethod(), probe::toString);
        assertEquals(List.of(), probe.saslFailures(), probe::toString);
        assertEquals(List.of(), probe.queueIds(), probe::toString);
    }
}
