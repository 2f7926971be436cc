package dev.smtpwatch.cli;

import static dev.smtpwatch.cli.CliHarness.authRejected;
import static dev.smtpwatch.cli.CliHarness.cleanStartTls;
import static dev.smtpwatch.cli.CliHarness.plaintextWithAuth;
import static dev.smtpwatch.cli.CliHarness.run;
import static dev.smtpwatch.cli.CliHarness.runWithStdin;
import static dev.smtpwatch.cli.CliHarness.startTlsNotRequired;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class SummaryCommandTest {
    /** A report line with the fields a test varies; the others as the agent writes them. */
    static final String LINE = "{\"schema\":\"smtpwatch.session/1\",\"time\":\"%s\",\"durationMs\":5,"
        + "\"library\":{\"name\":\"javax.mail\",\"version\":\"1.6.2\","
        + "\"transport\":\"com.sun.mail.smtp.SMTPTransport\"},"
        + "\"server\":{\"address\":\"%s\",\"port\":%d},\"tls\":%s,\"commands\":[%s],\"greeting\":220,"
        + "\"messages\":%d,\"outcome\":\"%s\",%s\"findings\":[%s]}";

    static final String NONE = "{\"mode\":\"none\",\"established\":false}";

    @TempDir
    Path dir;

    static String line(String time, String host, int port, String tls, String commands, int messages, String outcome,
            String extra, String findings) {
        return String.format(LINE, time, host, port, tls, commands, messages, outcome, extra, findings);
    }

    static String command(String verb, boolean tls, int reply) {
        return "{\"verb\":\"" + verb + "\",\"tls\":" + tls + ",\"reply\":" + reply + "}";
    }

    static String finding(String id, String severity, String message, String fix, String extra) {
        return "{\"id\":\"" + id + "\",\"severity\":\"" + severity + "\",\"message\":\"" + message + "\",\"fix\":\""
            + fix + "\"" + extra + "}";
    }

    @Test
    void oneRowPerEndpointItsInventoryThenFindingsMostSevereFirst() throws Exception {
        Path report = CliHarness.report(dir, startTlsNotRequired(), plaintextWithAuth(), cleanStartTls(),
            authRejected(), startTlsNotRequired());

        CliHarness.Run summary = run("summary", report.toString());

        assertEquals(0, summary.exitCode(), summary::toString);
        List<String> out = summary.outLines();
        assertTrue(out.get(0).startsWith(report + ": 5 sessions, "), summary::toString);
        assertEquals(List.of(
            "",
            "ENDPOINT              SESSIONS  MESSAGES  MSG/CONN  FAILED  THROTTLED  AUTH  AUTH IN CLEAR  FINDINGS",
            "relay.example.com:25         1         1       1.0       0          0     1              1         2",
            "smtp.example.com:587         4         3       0.8       1          0     4              0         3",
            "",
            "relay.example.com:25",
            "  TLS modes     none",
            "  protocols     -",
            "  ciphers       -",
            "  certificates  -",
            "  libraries     javax.mail",
            "",
            "smtp.example.com:587",
            "  TLS modes     starttls",
            "  protocols     TLSv1.3",
            "  ciphers       TLS_AES_128_GCM_SHA256",
            "  certificates  -",
            "  libraries     angus-mail",
            ""), out.subList(1, 20));
        List<String> findings = out.subList(20, out.size());
        assertEquals(List.of("FINDING", "cleartext-auth", "starttls-not-required", "cleartext-message",
            "auth-failed"), findings.subList(0, 5).stream().map(row -> row.split(" +")[0]).toList(),
            summary::toString);
        assertTrue(findings.get(2).matches("starttls-not-required +medium +2 +0 +\\S+Z +\\S+Z"), summary::toString);
        int details = findings.indexOf("[cleartext-auth] at relay.example.com:25");
        assertTrue(details > 0, summary::toString);
        assertTrue(findings.get(details + 1).startsWith("  latest: credentials (AUTH "), summary::toString);
        assertTrue(findings.get(details + 2).startsWith("  fix: set mail.smtp.starttls.enable=true"),
            summary::toString);
        assertEquals("", summary.err());
    }

    @Test
    void filesDirectoriesAndStdinMakeOneReviewAndBadLinesAreListedNotFatal() throws Exception {
        String clean = line("2026-11-23T10:00:00.000Z", "smtp.example.com", 587,
            "{\"mode\":\"starttls\",\"established\":true,\"protocol\":\"TLSv1.3\","
                + "\"cipher\":\"TLS_AES_256_GCM_SHA384\"}",
            command("EHLO", false, 250), 1, "sent", "", "");
        String leak = line("2026-11-23T11:00:00.000Z", "relay.example.com", 25, NONE,
            command("AUTH", false, 235), 2, "sent", "",
            finding("cleartext-auth", "critical", "credentials went to relay.example.com:25 in clear", "use TLS", ""));
        Path named = CliHarness.write(dir, "app-a.jsonl", clean, leak);
        Path fleet = Files.createDirectories(dir.resolve("fleet/host-1"));
        CliHarness.write(fleet, "app-b.jsonl", leak, "{\"schema\":\"smtpwatch.session/1\"", clean);
        CliHarness.write(fleet, "notes.txt", "not a report");
        CliHarness.write(fleet, "app-b.jsonl.1", clean);
        CliHarness.write(fleet.getParent(), "empty.jsonl");

        CliHarness.Run summary = runWithStdin(leak + "\nnot json\n", "summary", named.toString(),
            dir.resolve("fleet").toString(), "-");

        assertEquals(0, summary.exitCode(), summary::toString);
        List<String> out = summary.outLines();
        assertEquals(named + " " + dir.resolve("fleet") + " stdin: 6 sessions, 2026-11-23T10:00:00.000Z to "
            + "2026-11-23T11:00:00.000Z", out.get(0));
        assertTrue(out.contains(
            "relay.example.com:25         3         6       2.0       0          0     3              3         3"),
            summary::toString);
        assertTrue(out.contains("  ciphers       TLS_AES_256_GCM_SHA384"), summary::toString);
        assertEquals(List.of(
            "2 lines skipped, not report lines:",
            "  " + fleet.resolve("app-b.jsonl")
                + " line 2: not valid JSON (expected ',' or '}' at the end of the line)",
            "  stdin line 2: not valid JSON (unexpected 'n' at column 1)"), out.subList(out.size() - 3, out.size()));
        assertEquals("", summary.err());
    }

    @Test
    void fieldsOfNewerAgentsCountWhenPresent() throws Exception {
        String certificate = "{\"mode\":\"starttls\",\"established\":true,\"protocol\":\"TLSv1.2\","
            + "\"cipher\":\"TLS_ECDHE_RSA_WITH_AES_128_GCM_SHA256\",\"certificate\":{\"subject\":\"CN=mx.example.com\","
            + "\"issuer\":\"CN=Example CA\",\"notAfter\":\"2027-01-01T00:00:00Z\"}}";
        String throttled = line("2026-11-23T12:00:00.000Z", "mx.example.com", 587, certificate,
            command("EHLO", false, 250) + "," + command("STARTTLS", false, 220) + "," + command("EHLO", true, 250)
                + "," + command("MAIL", true, 451) + "," + command("QUIT", true, 221), 0, "failed",
            "\"error\":{\"type\":\"x\",\"message\":\"451 4.7.1 try later\"},\"repeats\":4,\"logins\":2,", "");
        String blocked = line("2026-11-23T12:30:00.000Z", "relay.example.com", 25,
            NONE, command("EHLO", false, 250), 0, "failed",
            "\"config\":{\"credentials\":true},",
            finding("cleartext-auth", "critical", "blocked", "use TLS", ",\"enforced\":true"));
        Path report = CliHarness.write(dir, "r.jsonl", throttled, blocked);

        CliHarness.Run summary = run("summary", report.toString());

        List<String> out = summary.outLines();
        assertTrue(out.contains(
            "mx.example.com:587           4         0       0.0       4          4     8              0         0"),
            summary::toString);
        assertTrue(out.contains("  certificates  CN=mx.example.com, expires 2027-01-01T00:00:00Z"), summary::toString);
        assertTrue(out.contains("  libraries     javax.mail 1.6.2"), summary::toString);
        assertTrue(out.stream().anyMatch(row -> row.matches("cleartext-auth +critical +1 +1 .*")), summary::toString);
    }

    @Test
    void addressesInMessagesAreMasked() throws Exception {
        String line = line("2026-11-23T12:00:00.000Z", "smtp.example.com", 25, NONE,
            "{\"verb\":\"RCPT\",\"arg\":\"TO:<alice@example.org>\",\"tls\":false,\"reply\":550}", 0, "failed", "",
            finding("auth-failed", "low", "rejected for alice@example.org", "check bob.smith@example.org", ""));

        CliHarness.Run summary = run("summary", CliHarness.write(dir, "r.jsonl", line).toString());

        assertFalse(summary.out().contains("alice@"), summary::toString);
        assertFalse(summary.out().contains("bob.smith@"), summary::toString);
        assertTrue(summary.out().contains("  latest: rejected for a***@example.org"), summary::toString);
    }

    @Test
    void endpointsBeyondTheCapShareOneRow() throws Exception {
        List<String> lines = new ArrayList<>();
        for (int i = 0; i <= FleetSummary.MAX_ENDPOINTS; i++) {
            lines.add(line("2026-11-23T12:00:00.000Z", "host" + i + ".example.com", 25,
                NONE, "", 0, "no-mail", "", ""));
        }
        CliHarness.Run summary = run("summary",
            CliHarness.write(dir, "many.jsonl", lines.toArray(new String[0])).toString());

        assertTrue(summary.out().contains("\n" + FleetSummary.OTHER_ENDPOINTS + "  "), summary::toString);
        assertTrue(summary.outLines().get(0).endsWith(": " + (FleetSummary.MAX_ENDPOINTS + 1) + " sessions, "
            + "2026-11-23T12:00:00.000Z to 2026-11-23T12:00:00.000Z"), summary::toString);
    }

    @Test
    void anEmptyReportHasNoSessions() throws Exception {
        Path report = CliHarness.write(dir, "empty.jsonl");

        CliHarness.Run summary = run("summary", report.toString());

        assertEquals(0, summary.exitCode(), summary::toString);
        assertEquals(List.of(report + ": no sessions"), summary.outLines());
    }

    @Test
    void aCleanReportSaysSo() throws Exception {
        CliHarness.Run summary = run("summary", CliHarness.report(dir, cleanStartTls()).toString());

        assertEquals(0, summary.exitCode(), summary::toString);
        assertEquals("no findings", summary.outLines().get(summary.outLines().size() - 1));
    }
}
