package dev.smtpwatch.cli;

import static dev.smtpwatch.cli.CliHarness.authRejected;
import static dev.smtpwatch.cli.CliHarness.cleanStartTls;
import static dev.smtpwatch.cli.CliHarness.plaintextWithAuth;
import static dev.smtpwatch.cli.CliHarness.run;
import static dev.smtpwatch.cli.CliHarness.startTlsNotRequired;
import static org.junit.jupiter.api.Assertions.assertEquals;

import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class SummaryCommandTest {
    @TempDir
    Path dir;

    @Test
    void oneRowPerServerPortAndModeThenFindingsMostSevereFirst() throws Exception {
        Path report = CliHarness.report(dir, startTlsNotRequired(), plaintextWithAuth(), cleanStartTls(),
            authRejected(), startTlsNotRequired());

        CliHarness.Run summary = run("summary", report.toString());

        assertEquals(0, summary.exitCode(), summary::toString);
        assertEquals(List.of(
            report + ": 5 sessions",
            "",
            "SERVER             PORT  TLS MODE  SESSIONS  SENT  FAILED  NO-MAIL  FINDINGS",
            "relay.example.com    25  none             1     1       0        0         2",
            "smtp.example.com    587  starttls         4     3       1        0         3",
            "",
            "FINDING                SEVERITY  COUNT",
            "cleartext-auth         critical      1",
            "starttls-not-required  medium        2",
            "cleartext-message      medium        1",
            "auth-failed            low           1"), summary.outLines());
        assertEquals("", summary.err());
    }

    @Test
    void oneIdAtTwoSeveritiesGetsARowEachAndNoMailIsCounted() throws Exception {
        String line = "{\"schema\":\"smtpwatch.session/1\",\"server\":{\"address\":\"localhost\",\"port\":2525},"
            + "\"tls\":{\"mode\":\"none\"},\"outcome\":\"%s\",\"findings\":[%s]}";
        String finding = "{\"id\":\"cleartext-message\",\"severity\":\"%s\",\"message\":\"m\",\"fix\":\"f\"}";
        Path report = CliHarness.write(dir, "r.jsonl",
            String.format(line, "sent", String.format(finding, "info")),
            "",
            String.format(line, "sent", String.format(finding, "medium")),
            String.format(line, "no-mail", ""));

        CliHarness.Run summary = run("summary", report.toString());

        assertEquals(0, summary.exitCode(), summary::toString);
        assertEquals(List.of(
            report + ": 3 sessions",
            "",
            "SERVER     PORT  TLS MODE  SESSIONS  SENT  FAILED  NO-MAIL  FINDINGS",
            "localhost  2525  none             3     2       0        1         2",
            "",
            "FINDING            SEVERITY  COUNT",
            "cleartext-message  medium        1",
            "cleartext-message  info          1"), summary.outLines());
    }

    @Test
    void aCleanReportSaysSo() throws Exception {
        Path report = CliHarness.report(dir, cleanStartTls());

        CliHarness.Run summary = run("summary", report.toString());

        assertEquals(0, summary.exitCode(), summary::toString);
        assertEquals("no findings", summary.outLines().get(summary.outLines().size() - 1));
    }

    @Test
    void anEmptyReportHasNoSessions() throws Exception {
        Path report = CliHarness.write(dir, "empty.jsonl");

        CliHarness.Run summary = run("summary", report.toString());

        assertEquals(0, summary.exitCode(), summary::toString);
        assertEquals(List.of(report + ": no sessions"), summary.outLines());
    }
}
