package dev.smtpwatch.cli;

import dev.smtpwatch.rules.Finding;
import java.io.PrintStream;
import java.util.List;

/**
 * {@code probe <host:port> [--json] [--timeout <s>] [--name <tls-server-name>]}: the server as this JVM sees it (its
 * trust store, its TLS settings), and the settings an app should use for it. Exit 0 usable and safe, 1 problems
 * found, 2 could not probe.
 */
final class ProbeCommand {
    static final int PROBLEMS_FOUND = 1;
    static final int DEFAULT_TIMEOUT_SECONDS = 10;

    private String host;
    private int port;
    private boolean json;
    private int timeoutSeconds = DEFAULT_TIMEOUT_SECONDS;
    private String serverName;

    private ProbeCommand() {
    }

    static int run(List<String> args, PrintStream out) throws CliException {
        ProbeCommand probe = new ProbeCommand();
        probe.parse(args);
        return probe.run(out);
    }

    private void parse(List<String> args) throws CliException {
        String endpoint = null;
        for (int i = 0; i < args.size(); i++) {
            String arg = args.get(i);
            if ("--json".equals(arg)) {
                json = true;
            } else if ("--timeout".equals(arg)) {
                timeoutSeconds = timeout(SmtpWatchCli.optionValue(args, ++i, arg));
            } else if ("--name".equals(arg)) {
                serverName = SmtpWatchCli.optionValue(args, ++i, arg);
            } else if (arg.startsWith("-")) {
                throw CliException.badInput("unknown option '" + arg + "' for probe (valid: --json, --timeout, --name)");
            } else if (endpoint == null) {
                endpoint = arg;
            } else {
                throw CliException.badInput("probe takes one host:port, got '" + endpoint + "' and '" + arg + "'");
            }
        }
        if (endpoint == null) {
            throw CliException.badInput("probe needs a server: probe <host:port>, e.g. probe smtp.example.com:587");
        }
        endpoint(endpoint);
        if (serverName == null) {
            serverName = host;
        }
    }

    /** {@code host:port}, {@code [v6]:port}. */
    private void endpoint(String endpoint) throws CliException {
        int colon = endpoint.lastIndexOf(':');
        String hostPart = colon < 0 ? "" : endpoint.substring(0, colon);
        if (hostPart.startsWith("[") && hostPart.endsWith("]")) {
            hostPart = hostPart.substring(1, hostPart.length() - 1);
        } else if (hostPart.indexOf(':') >= 0) {
            hostPart = "";
        }
        if (hostPart.isEmpty()) {
            throw CliException.badInput("'" + endpoint + "' is not host:port (an IPv6 address goes in brackets:"
                + " [::1]:587)");
        }
        host = hostPart;
        port = number(endpoint.substring(colon + 1), "port", 1, 65535, endpoint);
    }

    private static int timeout(String value) throws CliException {
        return number(value, "--timeout", 1, 600, value);
    }

    private static int number(String value, String what, int min, int max, String input) throws CliException {
        try {
            int n = Integer.parseInt(value);
            if (n >= min && n <= max) {
                return n;
            }
        } catch (NumberFormatException notANumber) {
            // reported below with the valid range
        }
        throw CliException.badInput(what + " must be a number from " + min + " to " + max + ", got '" + input + "'");
    }


    private int run(PrintStream out) throws CliException {
        ProbeResult result = SmtpProbe.probe(host, port, serverName, timeoutSeconds * 1000);
        List<Finding> findings = ProbeFindings.judge(result);
        ProbeOutput output = new ProbeOutput(result, findings, ProbeSettings.of(result));
        if (json) {
            output.printJson(out);
        } else {
            output.printText(out);
        }
        return ProbeFindings.problemsFound(findings) ? PROBLEMS_FOUND : 0;
    }
}
