package dev.smtpwatch.it.otel;

/**
 * {@code LingeringMain <main class> [args]}: runs that class's main, then waits {@code linger.ms} before the JVM
 * exits, as a server would. For apps without OpenTelemetry classes whose spans go through the OpenTelemetry Java
 * agent, which flushes them in a shutdown hook of its own (see docs/architecture.md, "OpenTelemetry").
 */
public final class LingeringMain {
    private LingeringMain() {
    }

    public static void main(String[] args) throws Exception {
        String[] rest = java.util.Arrays.copyOfRange(args, 1, args.length);
        Class.forName(args[0]).getMethod("main", String[].class).invoke(null, (Object) rest);
        Thread.sleep(Long.getLong("linger.ms", 300));
    }
}
