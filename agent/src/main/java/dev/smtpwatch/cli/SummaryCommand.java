package dev.smtpwatch.cli;

import dev.smtpwatch.rules.Finding;
import dev.smtpwatch.rules.Severity;
import java.io.PrintStream;
import java.util.ArrayList;
import java.util.Collections;
import java.util.Comparator;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

/**
 * {@code summary <report.jsonl>}: one row per server, port and TLS mode (sessions, sent, failed, no-mail,
 * findings), then how often each finding occurred, most severe first.
 */
final class SummaryCommand {
    private SummaryCommand() {
    }

    static int run(List<String> args, PrintStream out) throws CliException {
        if (args.size() != 1) {
            throw CliException.badInput(args.isEmpty() ? "summary needs a report file: summary <report.jsonl>"
                : "summary takes one report file, got " + args.size() + ": " + args);
        }
        String report = args.get(0);
        Map<String, ServerRow> servers = new HashMap<String, ServerRow>();
        Map<String, FindingRow> findings = new HashMap<String, FindingRow>();
        int[] sessions = new int[1];
        ReportFile.read(report, session -> {
            sessions[0]++;
            servers.computeIfAbsent(ServerRow.key(session), key -> new ServerRow(session)).add(session);
            for (Finding finding : session.findings()) {
                // one id can come at two severities (cleartext-message is info on loopback): a row each
                findings.computeIfAbsent(finding.id() + " " + finding.severity(),
                    key -> new FindingRow(finding.id(), finding.severity())).count++;
            }
        });
        if (sessions[0] == 0) {
            out.println(report + ": no sessions");
            return 0;
        }
        out.println(report + ": " + sessions[0] + (sessions[0] == 1 ? " session" : " sessions"));
        out.println();
        List<ServerRow> serverRows = new ArrayList<ServerRow>(servers.values());
        Collections.sort(serverRows, ServerRow.ORDER);
        TextTable serverTable = new TextTable("SERVER", "PORT#", "TLS MODE", "SESSIONS#", "SENT#", "FAILED#",
            "NO-MAIL#", "FINDINGS#");
        for (ServerRow row : serverRows) {
            serverTable.row(row.address, row.port, row.tlsMode, row.sessions, row.sent, row.failed, row.noMail,
                row.findings);
        }
        serverTable.print(out);
        out.println();
        if (findings.isEmpty()) {
            out.println("no findings");
            return 0;
        }
        List<FindingRow> findingRows = new ArrayList<FindingRow>(findings.values());
        Collections.sort(findingRows, FindingRow.ORDER);
        TextTable findingTable = new TextTable("FINDING", "SEVERITY", "COUNT#");
        for (FindingRow row : findingRows) {
            findingTable.row(row.id, row.severity.id(), row.count);
        }
        findingTable.print(out);
        return 0;
    }

    private static final class ServerRow {
        static final Comparator<ServerRow> ORDER = Comparator.<ServerRow, String>comparing(row -> row.address)
            .thenComparingLong(row -> row.port).thenComparing(row -> row.tlsMode);

        final String address;
        final long port;
        final String tlsMode;
        int sessions;
        int sent;
        int failed;
        int noMail;
        int findings;

        ServerRow(ReportSession first) {
            address = first.serverAddress();
            port = first.serverPort();
            tlsMode = first.tlsMode();
        }

        static String key(ReportSession session) {
            return session.server() + " " + session.tlsMode();
        }

        void add(ReportSession session) {
            sessions++;
            if ("sent".equals(session.outcome())) {
                sent++;
            } else if ("failed".equals(session.outcome())) {
                failed++;
            } else if ("no-mail".equals(session.outcome())) {
                noMail++;
            }
            findings += session.findings().size();
        }
    }

    private static final class FindingRow {
        /** Most severe first, then the most frequent, then by id for a stable order. */
        static final Comparator<FindingRow> ORDER = Comparator.<FindingRow, Severity>comparing(row -> row.severity)
            .reversed().thenComparing(Comparator.<FindingRow>comparingInt(row -> row.count).reversed())
            .thenComparing(row -> row.id);

        final String id;
        final Severity severity;
        int count;

        FindingRow(String id, Severity severity) {
            this.id = id;
            this.severity = severity;
        }
    }
}
