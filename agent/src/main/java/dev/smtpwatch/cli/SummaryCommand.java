package dev.smtpwatch.cli;

import java.io.InputStream;
import java.io.PrintStream;
import java.util.List;

/**
 * {@code summary <report.jsonl|dir|->...}: every report it is given, folded into one review: a row per endpoint
 * (sessions, messages, failures, throttling, AUTH and AUTH in clear, findings) and its inventory (TLS modes,
 * protocols, ciphers, certificates, library lines), then the findings by id, most severe first, with count, first
 * and last time, and the latest message and fix. Lines that are no report lines are listed at the end and skipped.
 */
final class SummaryCommand {
    private SummaryCommand() {
    }

    static int run(List<String> args, InputStream stdin, PrintStream out) throws CliException {
        for (String arg : args) {
            if (arg.startsWith("-") && !ReportFile.STDIN.equals(arg)) {
                throw CliException.badInput("unknown option '" + arg + "' for summary");
            }
        }
        if (args.isEmpty()) {
            throw CliException.badInput("summary needs a report: summary <report.jsonl|dir|->...");
        }
        FleetSummary fleet = new FleetSummary();
        ReportFile.readAll(args, stdin, fleet, fleet.malformed);
        String inputs = ReportFile.names(args);
        if (fleet.sessions() == 0) {
            out.println(inputs + ": no sessions");
            printMalformed(fleet.malformed, out);
            return 0;
        }
        out.println(inputs + ": " + count(fleet.sessions(), "session", "sessions")
            + (fleet.times().first() == null ? "" : ", " + fleet.times().first() + " to " + fleet.times().last()));
        out.println();
        List<EndpointInventory> endpoints = fleet.endpoints();
        TextTable endpointTable = new TextTable("ENDPOINT", "SESSIONS#", "MESSAGES#", "MSG/CONN#", "FAILED#",
            "THROTTLED#", "AUTH#", "AUTH IN CLEAR#", "FINDINGS#");
        for (EndpointInventory row : endpoints) {
            endpointTable.row(row.endpoint, row.sessions, row.messages, row.messagesPerConnection(), row.failed,
                row.throttled, row.logins, row.authInClear, row.findings);
        }
        endpointTable.print(out);
        for (EndpointInventory row : endpoints) {
            out.println();
            out.println(row.endpoint);
            TextTable inventory = new TextTable("", "");
            inventory.row("  TLS modes", row.tlsModes.joined());
            inventory.row("  protocols", row.protocols.joined());
            inventory.row("  ciphers", row.ciphers.joined());
            inventory.row("  certificates", row.certificates.joined());
            inventory.row("  libraries", row.libraries.joined());
            inventory.printRows(out);
        }
        out.println();
        List<FindingTally> findings = fleet.findings();
        if (findings.isEmpty()) {
            out.println("no findings");
        } else {
            TextTable findingTable = new TextTable("FINDING", "SEVERITY", "COUNT#", "BLOCKED#", "FIRST", "LAST");
            for (FindingTally row : findings) {
                findingTable.row(row.id, row.severities(), row.count, row.enforced, orDash(row.times.first()),
                    orDash(row.times.last()));
            }
            findingTable.print(out);
            for (FindingTally row : findings) {
                out.println();
                out.println("[" + row.id + "] at " + row.endpoints.joined());
                out.println("  latest: " + row.message);
                out.println("  fix: " + row.fix);
            }
        }
        printMalformed(fleet.malformed, out);
        return 0;
    }

    private static void printMalformed(MalformedLines malformed, PrintStream out) {
        if (malformed.count() == 0) {
            return;
        }
        out.println();
        out.println(count(malformed.count(), "line", "lines") + " skipped, not report lines:");
        for (String line : malformed.shown()) {
            out.println("  " + line);
        }
        if (malformed.count() > malformed.shown().size()) {
            out.println("  … and " + (malformed.count() - malformed.shown().size()) + " more");
        }
    }

    private static String orDash(String text) {
        return text == null ? "-" : text;
    }

    static String count(long n, String one, String many) {
        return n + " " + (n == 1 ? one : many);
    }
}
