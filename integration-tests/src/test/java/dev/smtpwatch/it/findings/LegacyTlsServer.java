package dev.smtpwatch.it.findings;

import dev.smtpwatch.testserver.ScriptedSmtpServer;
import dev.smtpwatch.testserver.TestPki;
import dev.smtpwatch.testserver.TlsMode;
import java.nio.file.Paths;

/**
 * {@code LegacyTlsServer <pki dir> <protocol,...>}: a scripted STARTTLS server limited to those TLS protocols, in a
 * JVM of its own so that it can be started with {@code -Djava.security.properties} re-enabling TLS 1.0/1.1, which
 * the JDK reads only once per JVM. Prints {@code port <n>}, serves until its stdin closes, then prints the
 * transcripts.
 */
public final class LegacyTlsServer {
    private LegacyTlsServer() {
    }

    public static void main(String[] args) throws Exception {
        TestPki pki = TestPki.create(Paths.get(args[0]));
        try (ScriptedSmtpServer server = ScriptedSmtpServer.builder()
                .tls(TlsMode.STARTTLS_REQUIRED, pki.serverContext(TestPki.Cert.LOCALHOST))
                .tlsProtocols(args[1].split(","))
                .start()) {
            System.out.println("port " + server.port());
            System.out.flush();
            while (System.in.read() != -1) {
                // serve until the test closes our stdin
            }
            System.out.println("transcripts " + server.connections());
        }
    }
}
