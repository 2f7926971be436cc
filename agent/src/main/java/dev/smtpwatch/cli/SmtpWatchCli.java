package dev.smtpwatch.cli;

/** {@code java -jar smtpwatch-agent.jar}: how to attach the agent. */
public final class SmtpWatchCli {
    private SmtpWatchCli() {
    }

    public static void main(String[] args) {
        System.out.println("smtpwatch: attach with -javaagent:smtpwatch-agent.jar[=report=PATH,otel=on|off,"
            + "log=warn|info|off,mask=on|off,commands.max=N,debug=on|off]");
        if (args.length > 0) {
            System.err.println("smtpwatch: unknown command '" + args[0] + "'");
            System.exit(2);
        }
    }
}
