package dev.smtpwatch.cli;

import dev.smtpwatch.rules.Finding;
import dev.smtpwatch.rules.Severity;
import java.io.File;
import java.io.IOException;
import java.io.PrintStream;
import java.util.ArrayList;
import java.util.List;

/**
 * {@code check <report.jsonl> --fail-on <severity> [--sarif out.sarif]}: the CI gate. Prints every finding at or
 * above the threshold as one line and exits 1 when there is one, 0 otherwise; the SARIF file gets every finding,
 * whatever the threshold, so a dashboard shows the whole picture while the gate decides on the serious ones.
 */
final class CheckCommand {
    static final int FINDINGS_AT_THRESHOLD = 1;

    private String report;
    private Severity threshold;
    private String sarifFile;

    private CheckCommand() {
    }

    static int run(List<String> args, PrintStream out) throws CliException {
        CheckCommand check = new CheckCommand();
        check.parse(args);
        return check.run(out);
    }

    private void parse(List<String> args) throws CliException {
        for (int i = 0; i < args.size(); i++) {
            String arg = args.get(i);
            if ("--fail-on".equals(arg)) {
                threshold = severity(SmtpWatchCli.optionValue(args, ++i, arg));
            } else if ("--sarif".equals(arg)) {
                sarifFile = SmtpWatchCli.optionValue(args, ++i, arg);
            } else if (arg.startsWith("-")) {
                throw CliException.badInput("unknown option '" + arg + "' for check (valid: --fail-on, --sarif)");
            } else if (report == null) {
                report = arg;
            } else {
                throw CliException.badInput("check takes one report file, got '" + report + "' and '" + arg + "'");
            }
        }
        if (report == null) {
            throw CliException.badInput("check needs a report file: check <report.jsonl> --fail-on <severity>");
        }
        if (threshold == null) {
            throw CliException.badInput("check needs --fail-on <severity> (info, low, medium, high, critical)");
        }
    }


    private static Severity severity(String id) throws CliException {
        try {
            return Severity.of(id);
        } catch (IllegalArgumentException unknown) {
            throw CliException.badInput("--fail-on: " + unknown.getMessage());
        }
    }

    private int run(PrintStream out) throws CliException {
        List<String> failing = new ArrayList<String>();
        SarifReport sarif = new SarifReport(report);
        int[] sessions = new int[2];
        // printed only after the whole file has read: a malformed line further down gives its error alone
        ReportFile.read(report, session -> {
            sessions[0]++;
            boolean sessionFails = false;
            for (Finding finding : session.findings()) {
                sarif.add(session, finding);
                if (finding.severity().compareTo(threshold) >= 0) {
                    failing.add(session.server() + " " + finding.severity().id() + " [" + finding.id() + "] "
                        + finding.message() + " — fix: " + finding.fix());
                    sessionFails = true;
                }
            }
            if (sessionFails) {
                sessions[1]++;
            }
        });
        for (String line : failing) {
            out.println(line);
        }
        if (sarifFile != null) {
            writeSarif(sarif, out);
        }
        if (failing.isEmpty()) {
            out.println("smtpwatch: no finding at or above " + threshold.id() + " in " + sessions(sessions[0]));
            return 0;
        }
        out.println("smtpwatch: " + failing.size() + (failing.size() == 1 ? " finding" : " findings")
            + " at or above " + threshold.id() + " in " + sessions[1] + " of " + sessions(sessions[0]));
        return FINDINGS_AT_THRESHOLD;
    }

    private void writeSarif(SarifReport sarif, PrintStream out) throws CliException {
        try {
            sarif.write(new File(sarifFile), SmtpWatchCli.version());
        } catch (IOException e) {
            throw CliException.badInput("cannot write " + sarifFile + " (" + e.getMessage() + ")");
        }
        out.println("smtpwatch: wrote " + sarifFile + " (SARIF 2.1.0, " + sarif.resultCount()
            + (sarif.resultCount() == 1 ? " result)" : " results)"));
    }

    private static String sessions(int count) {
        return count + (count == 1 ? " session" : " sessions");
    }
}
