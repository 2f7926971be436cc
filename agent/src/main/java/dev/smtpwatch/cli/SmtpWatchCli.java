package dev.smtpwatch.cli;

import java.io.InputStream;
import java.io.PrintStream;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;

/**
 * {@code java -jar smtpwatch-agent.jar <command>}: reads reports ({@code summary}, {@code html}, {@code check}),
 * attaches the agent to running JVMs ({@code list}, {@code attach}) and probes a server ({@code probe}). Nothing
 * of this package is loaded by the agent itself.
 *
 * <p>Exit codes: 0 done, 1 findings at or above the threshold ({@code check}), problems found ({@code probe}) or the
 * attach failed, 2 bad input or nothing to probe.
 * Bad input is one line on stderr, never a stack trace.
 */
public final class SmtpWatchCli {
    static final String USAGE = String.join(System.lineSeparator(),
        "smtpwatch: watches the SMTP sessions of a Java app and reports how secure they were",
        "",
        "As an agent:",
        "  java -javaagent:smtpwatch-agent.jar[=report=PATH,otel=on|off,log=warn|info|off,mask=on|off,"
            + "commands.max=N,debug=on|off] ...",
        "",
        "Commands:",
        "  summary <report.jsonl|dir|->...",
        "      every report given (a directory: its *.jsonl[.1] files; -: stdin) folded into one review: per endpoint",
        "      sessions, messages, failures, throttling, AUTH in clear, TLS modes, protocols, ciphers, certificates,",
        "      libraries; then the findings by id with count, first and last time, message and fix",
        "  html <report.jsonl|dir|->... -o <report.html>",
        "      the same review as one self-contained web page, with a ladder diagram per session shape",
        "  check <report.jsonl> --fail-on <severity> [--sarif <out.sarif>]",
        "      exit 1 when a finding at or above <severity> (info, low, medium, high, critical) is in the report,",
        "      printing each one; --sarif also writes every finding as SARIF 2.1.0",
        "  list",
        "      the running JVMs of this user that the agent can be attached to",
        "  attach <pid> [agent-args]",
        "      loads the agent into a running JVM (needs a JDK), e.g. attach 4242 report=/var/log/app/smtp.jsonl",
        "  probe <host:port> [--json] [--timeout <s>] [--name <tls-server-name>]",
        "      the server as this JVM sees it (run it with the app's -Djavax.net.ssl.* options): TLS mode,",
        "      EHLO and AUTH before and after TLS, certificate chain and trust, findings, and the Jakarta Mail and",
        "      Spring Boot settings to use; sends EHLO, STARTTLS and QUIT only (timeout default 10 s)",
        "",
        "Exit codes: 0 done, 1 findings at or above the threshold, problems found (probe) or the attach failed,",
        "2 bad input or nothing to probe (unknown host, refused, no connection).",
        "");

    private SmtpWatchCli() {
    }

    public static void main(String[] args) {
        int exitCode = run(args, System.in, System.out, System.err);
        System.out.flush();
        System.exit(exitCode);
    }

    /** Runs one command reading {@code -} from {@code in}; output goes to {@code out}, an error line to {@code err}. */
    static int run(String[] args, InputStream in, PrintStream out, PrintStream err) {
        if (args.length == 0 || Arrays.asList("help", "-h", "--help").contains(args[0])) {
            out.print(USAGE);
            return 0;
        }
        List<String> rest = new ArrayList<String>(Arrays.asList(args).subList(1, args.length));
        try {
            switch (args[0]) {
                case "summary":
                    return SummaryCommand.run(rest, in, out);
                case "html":
                    return HtmlCommand.run(rest, in, out);
                case "check":
                    return CheckCommand.run(rest, out);
                case "list":
                    return ListCommand.run(rest, out);
                case "attach":
                    return AttachCommand.run(rest, out);
                case "probe":
                    return ProbeCommand.run(rest, out);
                default:
                    throw CliException.badInput("unknown command '" + args[0]
                        + "' (commands: summary, html, check, list, attach, probe; no arguments for help)");
            }
        } catch (CliException e) {
            out.flush();
            err.println("smtpwatch: " + e.getMessage());
            return e.exitCode();
        }
    }

    /** The value after an option such as {@code --fail-on}, or bad input naming the option. */
    static String optionValue(List<String> args, int index, String option) throws CliException {
        if (index >= args.size()) {
            throw CliException.badInput(option + " needs a value");
        }
        return args.get(index);
    }

    /** The agent jar's version, or null when not run from the jar (in tests). */
    static String version() {
        return SmtpWatchCli.class.getPackage() == null ? null
            : SmtpWatchCli.class.getPackage().getImplementationVersion();
    }
}
