package dev.smtpwatch.it.findings;

import dev.smtpwatch.it.AgentRun;
import dev.smtpwatch.it.ItSupport;
import dev.smtpwatch.testserver.ScriptedSmtpServer;
import dev.smtpwatch.testserver.TestPki;
import dev.smtpwatch.testserver.TlsMode;
import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStreamReader;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.Paths;
import java.util.concurrent.TimeUnit;

/**
 * {@code LegacyTlsServer <pki dir> <protocol,...>}: a scripted STARTTLS server limited to those TLS protocols, in a
 * JVM of its own so that it can be started with {@code -Djava.security.properties} re-enabling TLS 1.0/1.1, which
 * the JDK reads only once per JVM. Prints {@code port <n>}, serves until its stdin closes, then prints the
 * transcripts.
 */
public final class LegacyTlsServer implements AutoCloseable {
    /** JDK 17's jdk.tls.disabledAlgorithms without TLSv1 and TLSv1.1. */
    private static final String LEGACY_TLS_ALLOWED = "jdk.tls.disabledAlgorithms=SSLv3, DTLSv1.0, RC4, DES, "
            + "MD5withRSA, DH keySize < 1024, EC keySize < 224, 3DES_EDE_CBC, anon, NULL, ECDH\n";

    private final Process process;
    private final int port;
    private final Path securityProperties;

    private LegacyTlsServer(Process process, int port, Path securityProperties) {
        this.process = process;
        this.port = port;
        this.securityProperties = securityProperties;
    }

    /** Starts the server JVM, speaking only {@code protocols} (e.g. {@code TLSv1.1}), on the shared test PKI. */
    public static LegacyTlsServer start(String protocols) throws IOException {
        ItSupport.pki(); // generated once, before the server JVM reads it
        Path securityProperties = ItSupport.workDir().resolve("legacy-tls.security");
        Files.writeString(securityProperties, LEGACY_TLS_ALLOWED, StandardCharsets.UTF_8);
        Process process = new ProcessBuilder(AgentRun.java().toString(),
                "-Djava.security.properties=" + securityProperties,
                "-cp", System.getProperty("java.class.path"),
                LegacyTlsServer.class.getName(), ItSupport.workDir().resolve("pki").toString(), protocols)
                .redirectErrorStream(true)
                .start();
        BufferedReader out = new BufferedReader(new InputStreamReader(process.getInputStream(),
                StandardCharsets.UTF_8));
        String first = out.readLine();
        if (first == null || !first.startsWith("port ")) {
            process.destroyForcibly();
            throw new IllegalStateException("the " + protocols + " server did not start: " + first);
        }
        return new LegacyTlsServer(process, Integer.parseInt(first.substring("port ".length()).trim()),
                securityProperties);
    }

    public int port() {
        return port;
    }

    /** The {@code -Djava.security.properties} file that re-enables TLS 1.0/1.1, for a client JVM that should too. */
    public Path securityProperties() {
        return securityProperties;
    }

    /** Closes the server's stdin, which ends it. */
    @Override
    public void close() throws IOException, InterruptedException {
        process.getOutputStream().close();
        if (!process.waitFor(10, TimeUnit.SECONDS)) {
            process.destroyForcibly();
        }
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
