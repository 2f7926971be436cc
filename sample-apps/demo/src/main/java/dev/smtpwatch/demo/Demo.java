package dev.smtpwatch.demo;

import dev.smtpwatch.testserver.ScriptedSmtpServer;
import dev.smtpwatch.testserver.TestPki;
import dev.smtpwatch.testserver.TlsMode;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;

/**
 * The README's first command: two unmodified sample apps send mail through real SMTP servers on loopback with
 * the agent attached, and we print what the agent reported: one clean STARTTLS session and one that leaks
 * credentials to a legacy relay.
 */
public final class Demo {
    private static final String USER = "demo";
    private static final String PASSWORD = "demo-password";

    private Demo() {
    }

    public static void main(String[] args) throws Exception {
        ProjectFiles files = ProjectFiles.locate();
        Path work = files.workDir("demo-run");
        Path report = work.resolve("report.jsonl");
        Files.deleteIfExists(report);
        TestPki pki = TestPki.create(work.resolve("pki"));
        // otel=off: with no OpenTelemetry collector on this machine the demo would only show its export warning.
        String agent = "-javaagent:" + files.agentJar() + "=report=" + report + ",otel=off";

        try (ScriptedSmtpServer submission = ScriptedSmtpServer.builder()
                 .tls(TlsMode.STARTTLS_REQUIRED, pki.serverContext(TestPki.Cert.LOCALHOST)).auth(USER, PASSWORD).start();
             ScriptedSmtpServer legacyRelay = ScriptedSmtpServer.builder().auth(USER, PASSWORD).start()) {
            System.out.println("smtpwatch demo: SMTP servers on 127.0.0.1:" + submission.port()
                + " (STARTTLS required, AUTH) and 127.0.0.1:" + legacyRelay.port() + " (legacy relay, no TLS)");
            scenario("1) javax.mail 1.6 app, STARTTLS + AUTH to the submission server",
                SampleRun.run(files.sampleApp("javax-mail"), agent,
                    "-Dmail.smtp.host=localhost", "-Dmail.smtp.port=" + submission.port(),
                    "-Dmail.smtp.auth=true", "-Dmail.smtp.starttls.enable=true", "-Dmail.smtp.starttls.required=true",
                    "-Dmail.smtp.ssl.checkserveridentity=true", "-Dmail.smtp.connectiontimeout=10000",
                    "-Dmail.smtp.timeout=30000", "-Dmail.smtp.writetimeout=30000",
                    "-Djavax.net.ssl.trustStore=" + pki.trustStore(), "-Djavax.net.ssl.trustStorePassword=changeit",
                    "-Dsample.user=" + USER, "-Dsample.password=" + PASSWORD));
            scenario("2) Angus Mail app, AUTH to a legacy relay that has no TLS",
                SampleRun.run(files.sampleApp("angus-mail"), agent,
                    "-Dmail.smtp.host=localhost", "-Dmail.smtp.port=" + legacyRelay.port(), "-Dmail.smtp.auth=true",
                    "-Dsample.user=" + USER, "-Dsample.password=" + PASSWORD));
        }
        System.out.println();
        System.out.println("Report " + report + " (one JSON line per SMTP connection):");
        for (String line : Files.readAllLines(report, StandardCharsets.UTF_8)) {
            System.out.println(line);
        }
    }

    private static void scenario(String title, SampleRun run) throws IOException {
        System.out.println();
        System.out.println(title);
        System.out.print(indent(run.stdout));
        System.out.print(indent(run.stderr));
        if (run.exitCode != 0) {
            throw new IOException("the sample app failed (exit " + run.exitCode + ")");
        }
    }

    private static String indent(String text) {
        return text.isEmpty() ? "" : "   " + text.trim().replace("\n", "\n   ") + "\n";
    }
}
