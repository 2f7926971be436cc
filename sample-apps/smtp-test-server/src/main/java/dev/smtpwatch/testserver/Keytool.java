package dev.smtpwatch.testserver;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.Charset;
import java.nio.file.Path;
import java.nio.file.Paths;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.concurrent.TimeUnit;

/**
 * Runs the JDK's own {@code keytool}, so the test PKI needs no crypto library. Each run starts a JVM (about half a
 * second), so independent invocations are started together and awaited as one batch.
 */
final class Keytool {
    private static final long TIMEOUT_SECONDS = 60;

    private final Path workDir;
    private final List<Invocation> batch = new ArrayList<>();

    Keytool(Path workDir) {
        this.workDir = workDir;
    }

    /** Queues one invocation; arguments as on the command line, without the {@code keytool} itself. */
    Keytool add(String... arguments) {
        batch.add(new Invocation(Arrays.asList(arguments)));
        return this;
    }

    /** Starts every queued invocation at once and waits for all of them; fails with keytool's own output. */
    void run() throws IOException {
        try {
            for (Invocation invocation : batch) {
                invocation.start();
            }
            for (Invocation invocation : batch) {
                invocation.await();
            }
        } finally {
            for (Invocation invocation : batch) {
                invocation.destroy();
            }
            batch.clear();
        }
    }

    private final class Invocation {
        private final List<String> command = new ArrayList<>();
        private Process process;

        Invocation(List<String> arguments) {
            command.add(Paths.get(System.getProperty("java.home"), "bin", "keytool").toString());
            // a short-lived tool: the quick JIT tier and the simplest GC start faster (about 0.4 s instead of 0.55 s)
            command.add("-J-XX:TieredStopAtLevel=1");
            command.add("-J-XX:+UseSerialGC");
            command.addAll(arguments);
        }

        void start() throws IOException {
            process = new ProcessBuilder(command).directory(workDir.toFile()).redirectErrorStream(true).start();
        }

        void await() throws IOException {
            // keytool writes a few lines at most, far below a pipe buffer, so reading after the exit cannot block it
            boolean exited;
            try {
                exited = process.waitFor(TIMEOUT_SECONDS, TimeUnit.SECONDS);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                throw new IOException("interrupted while waiting for " + command, e);
            }
            if (!exited) {
                throw new IOException("keytool did not finish within " + TIMEOUT_SECONDS + " s: " + command);
            }
            if (process.exitValue() != 0) {
                throw new IOException("keytool failed (exit " + process.exitValue() + "): " + command + "\n"
                        + readAll(process.getInputStream()));
            }
        }

        void destroy() {
            if (process != null) {
                process.destroy();
            }
        }
    }

    private static String readAll(InputStream in) throws IOException {
        ByteArrayOutputStream bytes = new ByteArrayOutputStream();
        byte[] buffer = new byte[4096];
        for (int n; (n = in.read(buffer)) != -1; ) {
            bytes.write(buffer, 0, n);
        }
        return new String(bytes.toByteArray(), Charset.defaultCharset());
    }
}
