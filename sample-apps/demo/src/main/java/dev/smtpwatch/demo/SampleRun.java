package dev.smtpwatch.demo;

import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStream;
import java.io.InputStreamReader;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.nio.file.Paths;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.concurrent.TimeUnit;

/** Runs a sample app in its own JVM, the way users run theirs, optionally with the agent attached. */
final class SampleRun {
    final int exitCode;
    final String stdout;
    final String stderr;
    /** From starting the JVM to the app's {@code sample app: …} line (printed once its mail went out). */
    final long reportedMillis;
    /** From starting the JVM to its exit. */
    final long totalMillis;

    private SampleRun(int exitCode, String stdout, String stderr, long reportedMillis, long totalMillis) {
        this.exitCode = exitCode;
        this.stdout = stdout;
        this.stderr = stderr;
        this.reportedMillis = reportedMillis;
        this.totalMillis = totalMillis;
    }

    /** @param javaAgent the {@code -javaagent:...} option, or null to run without the agent */
    static SampleRun run(Path app, String javaAgent, String... properties) throws IOException, InterruptedException {
        return run(Arrays.asList("-jar", app.toString()), javaAgent, properties);
    }

    /** @param launch what follows the options: {@code -jar app.jar} or {@code -cp path main.Class} */
    static SampleRun run(List<String> launch, String javaAgent, String... properties)
        throws IOException, InterruptedException {
        return run(launch, javaAgent, 600, properties);
    }

    /** @param timeoutSeconds how long the app may run before it is killed and this fails */
    static SampleRun run(List<String> launch, String javaAgent, int timeoutSeconds, String... properties)
        throws IOException, InterruptedException {
        List<String> command = new ArrayList<>();
        command.add(Paths.get(System.getProperty("java.home"), "bin", "java").toString());
        if (javaAgent != null) {
            command.add(javaAgent);
        }
        command.addAll(Arrays.asList(properties));
        command.addAll(launch);
        long start = System.nanoTime();
        Process process = new ProcessBuilder(command).start();
        process.getOutputStream().close();
        Drain out = new Drain(process.getInputStream());
        Drain err = new Drain(process.getErrorStream());
        if (!process.waitFor(timeoutSeconds, TimeUnit.SECONDS)) {
            process.destroyForcibly();
            throw new IOException("sample app did not finish within " + timeoutSeconds + " s: " + command);
        }
        long end = System.nanoTime();
        String stdout = out.text();
        return new SampleRun(process.exitValue(), stdout, err.text(),
            TimeUnit.NANOSECONDS.toMillis(out.sampleLineNanos - start), TimeUnit.NANOSECONDS.toMillis(end - start));
    }

    /** Reads a child's stream on its own thread so a full pipe never blocks the child. */
    private static final class Drain extends Thread {
        private final InputStream in;
        private volatile String text = "";
        private volatile long sampleLineNanos;

        Drain(InputStream in) {
            this.in = in;
            setDaemon(true);
            start();
        }

        @Override
        public void run() {
            StringBuilder all = new StringBuilder();
            try (BufferedReader lines = new BufferedReader(new InputStreamReader(in, StandardCharsets.UTF_8))) {
                for (String line = lines.readLine(); line != null; line = lines.readLine()) {
                    if (sampleLineNanos == 0 && line.startsWith("sample app:")) {
                        sampleLineNanos = System.nanoTime();
                    }
                    all.append(line).append('\n');
                }
                text = all.toString();
            } catch (IOException e) {
                text = "(unreadable: " + e + ")";
            }
        }

        String text() throws InterruptedException {
            join(5000);
            return text;
        }
    }
}
