package dev.smtpwatch.cli;

import static dev.smtpwatch.cli.CliHarness.run;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Usage, and every kind of bad input: one line on stderr, exit code 2, no stack trace. */
class SmtpWatchCliTest {
    private static final String GOOD_LINE = "{\"schema\":\"smtpwatch.session/1\",\"server\":{\"address\":\"localhost\","
        + "\"port\":25},\"tls\":{\"mode\":\"none\"},\"outcome\":\"sent\",\"findings\":[]}";

    @TempDir
    Path dir;

    @Test
    void noArgumentsPrintsTheUsage() {
        CliHarness.Run usage = run();

        assertEquals(0, usage.exitCode());
        assertEquals(SmtpWatchCli.USAGE, usage.out());
        for (String command : new String[] {"summary <report.jsonl|dir|->...",
            "html <report.jsonl|dir|->... -o <report.html>",
            "check <report.jsonl> --fail-on <severity> [--sarif <out.sarif>]", "list", "attach <pid> [agent-args]",
            "probe <host:port> [--json] [--timeout <s>] [--name <tls-server-name>]"}) {
            assertTrue(usage.out().contains("  " + command + "\n"), () -> command + " missing from\n" + usage.out());
        }
        assertEquals("", usage.err());
    }

    @Test
    void unknownCommand() {
        assertBadInput(run("sumary", "r.jsonl"),
            "smtpwatch: unknown command 'sumary' (commands: summary, html, check, list, attach, probe; "
                + "no arguments for help)");
    }

    @Test
    void missingFile() {
        String missing = dir.resolve("missing.jsonl").toString();
        assertBadInput(run("summary", missing), "smtpwatch: " + missing + ": no such file or directory");
        assertBadInput(run("html", missing, "-o", dir.resolve("r.html").toString()),
            "smtpwatch: " + missing + ": no such file or directory");
        assertBadInput(run("check", missing, "--fail-on", "high"), "smtpwatch: " + missing + ": no such file");
    }

    @Test
    void aDirectoryIsNoReportForCheck() {
        assertBadInput(run("check", dir.toString(), "--fail-on", "high"),
            "smtpwatch: " + dir + ": is a directory, not a report file");
    }

    @Test
    void aMalformedLineStopsCheckNamingFileLineAndProblem() throws Exception {
        Path report = CliHarness.write(dir, "report.jsonl", GOOD_LINE, "", "{\"schema\":\"smtpwatch.session/1\",");

        assertBadInput(run("check", report.toString(), "--fail-on", "low"), "smtpwatch: " + report
            + " line 3: not valid JSON (expected a field name in quotes at the end of the line)");
    }

    @Test
    void aLineThatIsJsonButNoReportLineSaysWhatIsMissing() throws Exception {
        assertLineProblem("[1,2]", "not a JSON object");
        assertLineProblem("{\"schema\":\"other/1\"}",
            "not a smtpwatch report line (schema is 'other/1', expected smtpwatch.session/1)");
        assertLineProblem(GOOD_LINE.replace("\"port\":25", "\"port\":\"25\""), "server.port is not an integer");
        assertLineProblem(GOOD_LINE.replace(",\"outcome\":\"sent\"", ""), "no outcome");
        assertLineProblem(GOOD_LINE.replace("\"findings\":[]",
            "\"findings\":[{\"id\":\"weak-tls\",\"severity\":\"severe\",\"message\":\"m\",\"fix\":\"f\"}]"),
            "finding weak-tls: unknown severity 'severe' (valid: info, low, medium, high, critical)");
    }

    private void assertLineProblem(String line, String problem) throws Exception {
        Path report = CliHarness.write(dir, "odd.jsonl", GOOD_LINE, line);
        assertBadInput(run("check", report.toString(), "--fail-on", "low"),
            "smtpwatch: " + report + " line 2: " + problem);
    }

    @Test
    void unknownSeverityNamesTheValidOnes() throws Exception {
        Path report = CliHarness.write(dir, "report.jsonl", GOOD_LINE);

        assertBadInput(run("check", report.toString(), "--fail-on", "severe"),
            "smtpwatch: --fail-on: unknown severity 'severe' (valid: info, low, medium, high, critical)");
    }

    @Test
    void missingArguments() throws Exception {
        Path report = CliHarness.write(dir, "report.jsonl", GOOD_LINE);
        assertBadInput(run("summary"), "smtpwatch: summary needs a report: summary <report.jsonl|dir|->...");
        assertBadInput(run("summary", "--json", report.toString()), "smtpwatch: unknown option '--json' for summary");
        assertBadInput(run("html", report.toString()),
            "smtpwatch: html needs reports and an output file: html <report.jsonl|dir|->... -o <report.html>");
        assertBadInput(run("html", report.toString(), "-o"), "smtpwatch: -o needs a file name");
        assertBadInput(run("html", report.toString(), "--pdf", "x"),
            "smtpwatch: unknown option '--pdf' for html (valid: -o <report.html>)");
        assertBadInput(run("check"),
            "smtpwatch: check needs a report file: check <report.jsonl> --fail-on <severity>");
        assertBadInput(run("check", report.toString()),
            "smtpwatch: check needs --fail-on <severity> (info, low, medium, high, critical)");
        assertBadInput(run("check", report.toString(), "--fail-on"), "smtpwatch: --fail-on needs a value");
        assertBadInput(run("check", report.toString(), "--fail-on", "high", "--sarif"),
            "smtpwatch: --sarif needs a value");
        assertBadInput(run("check", report.toString(), "--fail-on", "high", "--json"),
            "smtpwatch: unknown option '--json' for check (valid: --fail-on, --sarif)");
        assertBadInput(run("attach"), "smtpwatch: attach needs a pid: attach <pid> [agent-args] (list shows the JVMs)");
        assertBadInput(run("attach", "java"), "smtpwatch: attach: 'java' is not a pid (list shows the JVMs)");
        assertBadInput(run("list", "all"), "smtpwatch: list takes no arguments, got [all]");
    }

    @Test
    void attachingToItselfIsRefusedBeforeTryingIt() {
        String self = ListCommand.ownPid();
        assertBadInput(run("attach", self), "smtpwatch: attach: " + self + " is this command's own JVM");
    }

    @Test
    void attachOutsideTheJarSaysToRunItFromTheJar() {
        // the tests run from target/classes: the command refuses to hand a directory to the target JVM
        CliHarness.Run attach = run("attach", "999999999");

        assertEquals(1, attach.exitCode(), attach::toString);
        assertTrue(attach.err().startsWith("smtpwatch: attach must run from the agent jar"), attach::toString);
    }

    @Test
    void listNeverShowsItsOwnJvm() {
        CliHarness.Run list = run("list");

        assertEquals(0, list.exitCode(), list::toString);
        String self = ListCommand.ownPid();
        assertFalse(list.outLines().stream().anyMatch(line -> line.trim().startsWith(self + " ")), list::toString);
    }

    private static void assertBadInput(CliHarness.Run run, String line) {
        assertEquals(2, run.exitCode(), run::toString);
        assertEquals(line + System.lineSeparator(), run.err());
        assertEquals("", run.out());
    }
}
