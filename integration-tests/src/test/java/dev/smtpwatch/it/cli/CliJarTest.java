package dev.smtpwatch.it.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import dev.smtpwatch.it.ItSupport;
import dev.smtpwatch.it.Report;
import dev.smtpwatch.it.SampleApp;
import dev.smtpwatch.testserver.ScriptedSmtpServer;
import dev.smtpwatch.testserver.TestPki;
import dev.smtpwatch.testserver.TlsMode;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * {@code summary} and {@code check} of the built jar, on a report the agent wrote while a sample app sent mail:
 * one plaintext session to a server that offered STARTTLS (starttls-not-used, high) and one STARTTLS session with
 * javax.mail 1.6's defaults (not required, no identity check: medium findings only).
 */
class CliJarTest {
    @TempDir
    Path dir;

    @Test
    void summaryAndCheckOfAReportTheAgentWrote() throws Exception {
        Path report = dir.resolve("report.jsonl");
        int port;
        try (ScriptedSmtpServer server = ScriptedSmtpServer.builder()
                .tls(TlsMode.STARTTLS, ItSupport.pki().serverContext(TestPki.Cert.LOCALHOST))
                .start()) {
            port = server.port();
            String agentArgs = "report=" + report + ",otel=off";
            ItSupport.assertSent(ItSupport.send(SampleApp.JAVAX_MAIL, server, agentArgs).run(), 1);
            ItSupport.assertSent(ItSupport.send(SampleApp.JAVAX_MAIL, server, agentArgs)
                    .property("mail.smtp.starttls.enable", "true").run(), 1);
        }
        List<JsonNode> lines = Report.read(report);
        assertEquals(2, lines.size(), lines::toString);
        assertEquals(List.of("starttls-not-used", "cleartext-message"), ItSupport.findingIds(lines.get(0)));
        assertEquals("info", lines.get(0).at("/findings/1/severity").asText(), "cleartext-message on loopback");
        assertEquals(List.of("starttls-not-required", "hostname-verification-off"),
                ItSupport.findingIds(lines.get(1)));

        CliJar.Result summary = CliJar.run(dir, "summary", report.toString());
        assertEquals(0, summary.exitCode(), summary::toString);
        assertEquals("", summary.err());
        List<String> review = summary.outLines();
        assertTrue(review.get(0).startsWith(report + ": 2 sessions, "), summary::toString);
        assertEquals(List.of(
                "ENDPOINT" + " ".repeat(("localhost:" + port).length() - 8)
                        + "  SESSIONS  MESSAGES  MSG/CONN  FAILED  THROTTLED  AUTH  AUTH IN CLEAR  FINDINGS",
                "localhost:" + port + "         2         2       1.0       0          0     0              0         4",
                "",
                "localhost:" + port,
                "  TLS modes     none, starttls",
                "  protocols     " + lines.get(1).at("/tls/protocol").asText(),
                "  ciphers       " + lines.get(1).at("/tls/cipher").asText(),
                "  certificates  " + lines.get(1).at("/tls/certificate/subject").asText() + ", expires "
                        + lines.get(1).at("/tls/certificate/notAfter").asText(),
                "  libraries     javax.mail 1.6.2"), review.subList(2, 11));
        assertEquals(List.of("FINDING", "starttls-not-used", "hostname-verification-off", "starttls-not-required",
                "cleartext-message"), review.subList(12, 17).stream().map(row -> row.split(" ")[0]).toList(),
                summary::toString);

        CliJar.Result critical = CliJar.run(dir, "check", report.toString(), "--fail-on", "critical");
        assertEquals(0, critical.exitCode(), critical::toString);
        assertEquals(List.of("smtpwatch: no finding at or above critical in 2 sessions"), critical.outLines());

        Path sarif = dir.resolve("smtpwatch.sarif");
        CliJar.Result high = CliJar.run(dir, "check", report.toString(), "--fail-on", "high", "--sarif",
                sarif.toString());
        assertEquals(1, high.exitCode(), high::toString);
        List<String> out = high.outLines();
        assertEquals(3, out.size(), high::toString);
        assertTrue(out.get(0).startsWith("localhost:" + port + " high [starttls-not-used] localhost:" + port
                + " offered STARTTLS but the client never issued it"), high::toString);
        assertTrue(out.get(0).contains(" — fix: set mail.smtp.starttls.enable=true"), high::toString);
        assertEquals("smtpwatch: wrote " + sarif + " (SARIF 2.1.0, 4 results)", out.get(1));
        assertEquals("smtpwatch: 1 finding at or above high in 1 of 2 sessions", out.get(2));
        JsonNode run = Report.mapper().readTree(Files.readString(sarif)).path("runs").get(0);
        assertEquals(4, run.at("/tool/driver/rules").size(), run::toString);
        assertEquals(4, run.path("results").size(), run::toString);
        assertTrue(run.at("/tool/driver/version").isTextual(), () -> "driver version from the manifest: " + run);

        CliJar.Result medium = CliJar.run(dir, "check", report.toString(), "--fail-on", "medium");
        assertEquals(1, medium.exitCode(), medium::toString);
        assertEquals("smtpwatch: 3 findings at or above medium in 2 of 2 sessions",
                medium.outLines().get(medium.outLines().size() - 1));
    }

    @Test
    void badInputIsOneLineAndExitCodeTwo() throws Exception {
        Path report = Files.writeString(dir.resolve("broken.jsonl"), "{\"schema\":\"smtpwatch.session/1\"\n");

        CliJar.Result malformed = CliJar.run(dir, "check", report.toString(), "--fail-on", "low");
        assertEquals(2, malformed.exitCode(), malformed::toString);
        assertEquals("smtpwatch: " + report + " line 1: not valid JSON (expected ',' or '}' at the end of the line)\n",
                malformed.err());

        CliJar.Result severity = CliJar.run(dir, "check", report.toString(), "--fail-on", "urgent");
        assertEquals(2, severity.exitCode(), severity::toString);
        assertEquals("smtpwatch: --fail-on: unknown severity 'urgent' (valid: info, low, medium, high, critical)\n",
                severity.err());

        CliJar.Result usage = CliJar.run(dir);
        assertEquals(0, usage.exitCode(), usage::toString);
        assertTrue(usage.out().contains("check <report.jsonl> --fail-on <severity>"), usage::toString);
    }
}
