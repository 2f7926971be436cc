package dev.smtpwatch.cli;

import java.io.File;
import java.io.FileOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStreamWriter;
import java.io.PrintStream;
import java.io.Writer;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;

/**
 * {@code html <report.jsonl|dir|->... -o report.html}: the review of {@code summary} as one self-contained page
 * ({@link HtmlPage}) with a ladder diagram per session shape. Lines that are no report lines are listed on the
 * page and skipped, as in {@code summary}.
 */
final class HtmlCommand {
    private HtmlCommand() {
    }

    static int run(List<String> args, InputStream stdin, PrintStream out) throws CliException {
        List<String> sources = new ArrayList<String>();
        String output = null;
        for (int i = 0; i < args.size(); i++) {
            String arg = args.get(i);
            if ("-o".equals(arg) || "--output".equals(arg)) {
                if (++i >= args.size()) {
                    throw CliException.badInput(arg + " needs a file name");
                }
                output = args.get(i);
            } else if (arg.startsWith("-") && !ReportFile.STDIN.equals(arg)) {
                throw CliException.badInput("unknown option '" + arg + "' for html (valid: -o <report.html>)");
            } else {
                sources.add(arg);
            }
        }
        if (sources.isEmpty() || output == null) {
            throw CliException.badInput("html needs reports and an output file: html <report.jsonl|dir|->... "
                + "-o <report.html>");
        }
        FleetSummary fleet = new FleetSummary();
        SessionShapes shapes = new SessionShapes();
        ReportFile.readAll(sources, stdin, session -> {
            fleet.session(session);
            shapes.session(session);
        }, fleet.malformed);
        String page = HtmlPage.render(fleet, shapes, FindingsDoc.load(),
            ReportFile.names(sources), SmtpWatchCli.version());
        try (Writer writer = new OutputStreamWriter(new FileOutputStream(new File(output)), StandardCharsets.UTF_8)) {
            writer.write(page);
        } catch (IOException e) {
            throw CliException.badInput("cannot write " + output + " (" + e.getMessage() + ")");
        }
        out.println("smtpwatch: wrote " + output + " (" + SummaryCommand.count(fleet.sessions(), "session", "sessions")
            + ", " + SummaryCommand.count(fleet.endpoints().size(), "endpoint", "endpoints") + ", "
            + SummaryCommand.count(fleet.findings().size(), "finding id", "finding ids") + ", "
            + SummaryCommand.count(shapes.drawn().size(), "session shape", "session shapes") + " drawn"
            + (fleet.malformed.count() == 0 ? "" : ", " + SummaryCommand.count(fleet.malformed.count(),
                "line skipped", "lines skipped")) + ")");
        return 0;
    }
}
