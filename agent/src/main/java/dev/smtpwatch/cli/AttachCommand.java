package dev.smtpwatch.cli;

import java.io.File;
import java.io.PrintStream;
import java.net.URISyntaxException;
import java.security.CodeSource;
import java.util.List;

/** {@code attach <pid> [agent-args]}: loads this very jar as the agent into a running JVM. */
final class AttachCommand {
    private AttachCommand() {
    }

    static int run(List<String> args, PrintStream out) throws CliException {
        if (args.isEmpty()) {
            throw CliException.badInput("attach needs a pid: attach <pid> [agent-args] (list shows the JVMs)");
        }
        if (args.size() > 2) {
            throw CliException.badInput("attach takes a pid and one agent-args string (key=value,key=value), got "
                + args);
        }
        String pid = args.get(0);
        if (!pid.matches("[0-9]+")) {
            throw CliException.badInput("attach: '" + pid + "' is not a pid (list shows the JVMs)");
        }
        String agentArgs = args.size() == 2 ? args.get(1) : null;
        if (pid.equals(ListCommand.ownPid())) {
            throw CliException.badInput("attach: " + pid + " is this command's own JVM");
        }
        AttachApi.loadAgent(pid, agentJar(), agentArgs);
        out.println("smtpwatch: attached to JVM " + pid + (agentArgs == null ? "" : " with " + agentArgs)
            + "; its agent messages go to that JVM's stderr");
        return 0;
    }

    /** The jar this class was loaded from; the target JVM opens it by path, so the path is absolute. */
    private static String agentJar() throws CliException {
        CodeSource source = AttachCommand.class.getProtectionDomain().getCodeSource();
        File jar = null;
        if (source != null && source.getLocation() != null) {
            try {
                jar = new File(source.getLocation().toURI());
            } catch (URISyntaxException | IllegalArgumentException notAFile) {
                // reported below
            }
        }
        if (jar == null || !jar.isFile() || !jar.getName().endsWith(".jar")) {
            throw CliException.failed("attach must run from the agent jar: java -jar smtpwatch-agent.jar attach "
                + "<pid> (running from " + (source == null ? "an unknown location" : source.getLocation()) + ")");
        }
        return jar.getAbsolutePath();
    }
}
