package dev.smtpwatch.cli;

import java.io.PrintStream;
import java.lang.management.ManagementFactory;
import java.util.List;

/** {@code list}: the JVMs the agent can be attached to, as the attach API sees them (this user's, this machine's). */
final class ListCommand {
    private ListCommand() {
    }

    static int run(List<String> args, PrintStream out) throws CliException {
        if (!args.isEmpty()) {
            throw CliException.badInput("list takes no arguments, got " + args);
        }
        String self = ownPid();
        TextTable table = new TextTable("PID#", "NAME");
        int count = 0;
        for (String[] jvm : AttachApi.load().list()) {
            // the CLI's own JVM is in the list too, and is the one JVM attach refuses
            if (!jvm[0].equals(self)) {
                table.row(jvm[0], jvm[1].isEmpty() ? "(no name)" : jvm[1]);
                count++;
            }
        }
        if (count == 0) {
            out.println("smtpwatch: no other JVM of this user found to attach to");
            return 0;
        }
        table.print(out);
        return 0;
    }

    /** Java 8 has no ProcessHandle: the runtime bean's name is {@code pid@host} on HotSpot. */
    static String ownPid() {
        String name = ManagementFactory.getRuntimeMXBean().getName();
        int at = name.indexOf('@');
        return at > 0 ? name.substring(0, at) : name;
    }
}
