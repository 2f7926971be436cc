package dev.smtpwatch.it.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import dev.smtpwatch.it.AgentRun;
import dev.smtpwatch.it.ItSupport;
import dev.smtpwatch.it.Report;
import dev.smtpwatch.it.SampleApp;
import dev.smtpwatch.testserver.ScriptedSmtpServer;
import java.io.BufferedReader;
import java.io.File;
import java.io.InputStreamReader;
import java.io.Writer;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.Paths;
import java.util.List;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * {@code list} and {@code attach <pid> report=…} of the built jar against a running JVM that has not sent mail
 * yet; then the JVM sends, and the agent loaded at runtime must have written the session.
 *
 * <p>The target runs on {@link AgentRun#java()} like the sample apps; its main class is compiled for Java 17 with
 * this module, so that JDK must be 17 or later. On JDK 21+ the target prints the JVM's "A Java agent has been
 * loaded dynamically" warning: expected for runtime attach, and not asserted either way.
 */
class RuntimeAttachTest {
    private static final String JAVAX_MAIL_MAIN = "dev.smtpwatch.sample.javaxmail.SendMail";

    @TempDir
    Path dir;

    @Test
    void attachedAtRuntimeTheAgentReportsTheNextSession() throws Exception {
        Path report = dir.resolve("report.jsonl");
        Path targetErr = dir.resolve("target.err");
        try (ScriptedSmtpServer server = ScriptedSmtpServer.builder().start()) {
            Process target = startTarget(server.port(), targetErr);
            try {
                BufferedReader targetOut = new BufferedReader(
                        new InputStreamReader(target.getInputStream(), StandardCharsets.UTF_8));
                // attach only once the JVM is up: an attach request too early in start-up can kill it
                assertEquals("ready", targetOut.readLine(), () -> "target stderr: " + read(targetErr));
                String pid = Long.toString(target.pid());

                CliJar.Result list = CliJar.run(dir, "list");
                assertEquals(0, list.exitCode(), list::toString);
                assertTrue(list.outLines().stream().anyMatch(line -> line.trim().startsWith(pid + " ")
                        && line.contains(SendMailOnSignal.class.getName())), list::toString);

                CliJar.Result attach = CliJar.run(dir, "attach", pid, "report=" + report + ",otel=off");
                assertEquals(0, attach.exitCode(), attach::toString);
                assertEquals(List.of("smtpwatch: attached to JVM " + pid + " with report=" + report
                        + ",otel=off; its agent messages go to that JVM's stderr"), attach.outLines());
                assertEquals("", attach.err());

                sendAndExit(target, targetOut, targetErr);
            } finally {
                target.destroyForcibly();
            }
        }
        JsonNode line = Report.single(report);
        assertEquals("sent", line.path("outcome").asText(), line::toString);
        assertEquals("javax.mail", line.at("/library/name").asText(), line::toString);
        assertEquals(List.of("EHLO", "MAIL", "RCPT", "DATA", "QUIT"), ItSupport.field(line.path("commands"), "verb"));
        assertEquals(List.of("cleartext-message"), ItSupport.findingIds(line));
        assertFalse(read(targetErr).contains("could not start"), () -> read(targetErr));
    }

    @Test
    void attachedTwiceToAJvmThatLoadedTheTransportTheAgentInstrumentsItOnce() throws Exception {
        Path report = dir.resolve("report.jsonl");
        Path targetErr = dir.resolve("target.err");
        try (ScriptedSmtpServer server = ScriptedSmtpServer.builder().start()) {
            Process target = startTarget(server.port(), targetErr, SampleApp.JAVAX_MAIL.transportClass());
            try {
                BufferedReader targetOut = new BufferedReader(
                        new InputStreamReader(target.getInputStream(), StandardCharsets.UTF_8));
                assertEquals("ready", targetOut.readLine(), () -> "target stderr: " + read(targetErr));
                String pid = Long.toString(target.pid());
                for (int attach = 0; attach < 2; attach++) {
                    CliJar.Result result = CliJar.run(dir, "attach", pid, "report=" + report + ",otel=off");
                    assertEquals(0, result.exitCode(), result::toString);
                }
                sendAndExit(target, targetOut, targetErr);
            } finally {
                target.destroyForcibly();
            }
        }
        JsonNode line = Report.single(report);
        assertEquals(List.of("EHLO", "MAIL", "RCPT", "DATA", "QUIT"), ItSupport.field(line.path("commands"), "verb"),
                line::toString);
        assertEquals(List.of("WARN smtpwatch is already attached to this JVM; the second attach was ignored"),
                Files.readAllLines(targetErr).stream()
                        .filter(l -> l.contains("smtpwatch") && !l.startsWith("WARN smtpwatch [")).toList());
    }

    @Test
    void attachToAProcessThatIsGoneIsOneLine() throws Exception {
        Process gone = new ProcessBuilder(AgentRun.java().toString(), "-version").start();
        gone.waitFor(60, TimeUnit.SECONDS);

        CliJar.Result attach = CliJar.run(dir, "attach", Long.toString(gone.pid()));

        assertEquals(1, attach.exitCode(), attach::toString);
        assertEquals("smtpwatch: cannot attach to JVM " + gone.pid() + ": no process with that pid\n", attach.err());
    }

    /** Tells the target to send, and waits for its line and its exit. */
    private static void sendAndExit(Process target, BufferedReader targetOut, Path targetErr) throws Exception {
        try (Writer signal = new java.io.OutputStreamWriter(target.getOutputStream(), StandardCharsets.UTF_8)) {
            signal.write("send\n");
        }
        assertEquals("sample app: sent 1 message(s)", targetOut.readLine(), () -> "target stderr: " + read(targetErr));
        assertTrue(target.waitFor(60, TimeUnit.SECONDS), "the target did not exit");
        assertEquals(0, target.exitValue(), () -> "target stderr: " + read(targetErr));
    }

    private Process startTarget(int port, Path stderr, String... loadedBeforeAttach) throws Exception {
        String classes = Paths.get(SendMailOnSignal.class.getProtectionDomain().getCodeSource().getLocation()
                .toURI()).toString();
        ProcessBuilder builder = new ProcessBuilder(AgentRun.java().toString(),
                "-Dmail.smtp.host=localhost", "-Dmail.smtp.port=" + port,
                "-Dmail.smtp.connectiontimeout=10000", "-Dmail.smtp.timeout=10000", "-Dmail.smtp.writetimeout=10000",
                "-Dsample.from=sender@example.com", "-Dsample.to=recipient@example.org",
                "-cp", classes + File.pathSeparator + SampleApp.JAVAX_MAIL.jar(),
                SendMailOnSignal.class.getName(), JAVAX_MAIL_MAIN)
                .redirectError(stderr.toFile());
        builder.command().addAll(List.of(loadedBeforeAttach));
        builder.environment().keySet().removeIf(name -> name.startsWith("SMTPWATCH_")
                || List.of("JAVA_TOOL_OPTIONS", "_JAVA_OPTIONS", "JDK_JAVA_OPTIONS").contains(name));
        return builder.start();
    }

    private static String read(Path file) {
        try {
            return Files.readString(file);
        } catch (java.io.IOException e) {
            return "(unreadable: " + e + ")";
        }
    }
}
