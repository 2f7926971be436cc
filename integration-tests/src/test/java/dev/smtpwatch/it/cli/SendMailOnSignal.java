package dev.smtpwatch.it.cli;

import java.io.BufferedReader;
import java.io.InputStreamReader;
import java.nio.charset.StandardCharsets;

/**
 * A long-running target for runtime attach: prints {@code ready}, waits for a line on stdin, then runs a sample
 * app's main (class name in {@code args[0]}, the app's jar on the class path). The sample apps send at once and
 * exit; this holds the JVM up until the test has attached the agent. Classes named in further arguments are
 * loaded before {@code ready}, so that the agent has to retransform them.
 */
public final class SendMailOnSignal {
    private SendMailOnSignal() {
    }

    public static void main(String[] args) throws Exception {
        for (int i = 1; i < args.length; i++) {
            Class.forName(args[i]);
        }
        System.out.println("ready");
        System.out.flush();
        String signal = new BufferedReader(new InputStreamReader(System.in, StandardCharsets.UTF_8)).readLine();
        if (signal == null) {
            System.exit(3);
        }
        Class.forName(args[0]).getMethod("main", String[].class).invoke(null, (Object) new String[0]);
    }
}
