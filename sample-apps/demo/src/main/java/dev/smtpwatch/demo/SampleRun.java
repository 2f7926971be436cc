package dev.smtpwatch.demo;

import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStream;
import java.io.InputStreamReader;
import java.io.OutputStreamWriter;
import java.io.Writer;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.nio.file.Paths;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.LinkedBlockingQueue;
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
        Live live = Live.start(launch, javaAgent, properties);
        live.process.getOutputStream().close();
        return live.finish(timeoutSeconds);
    }

    /**
     * A sample app's JVM that reads its turns from stdin ({@code ThroughputApp} with {@code bench.paced}): started,
     * given lines and read line by line, then finished as a {@link SampleRun}.
     */
    static final class Live {
        private final List<String> command;
        private final Process process;
        private final Writer stdin;
        private final Drain out;
        private final Drain err;
        private final long start;

        private Live(List<String> command) throws IOException {
            this.command = command;
            this.start = System.nanoTime();
            this.process = new ProcessBuilder(command).start();
            this.stdin = new OutputStreamWriter(process.getOutputStream(), StandardCharsets.UTF_8);
            this.out = new Drain(process.getInputStream());
            this.err = new Drain(process.getErrorStream());
        }

        /** @param launch what follows the options: {@code -jar app.jar} or {@code -cp path main.Class} */
        static Live start(List<String> launch, String javaAgent, String... properties) throws IOException {
            List<String> command = new ArrayList<>();
            command.add(Paths.get(System.getProperty("java.home"), "bin", "java").toString());
            if (javaAgent != null) {
                command.add(javaAgent);
            }
            command.addAll(Arrays.asList(properties));
            command.addAll(launch);
            return new Live(command);
        }

        void send(String line) throws IOException {
            stdin.write(line + "\n");
            stdin.flush();
        }

        /** The next line of stdout that starts with {@code prefix} (earlier ones are skipped). */
        String await(String prefix, int timeoutSeconds) throws IOException, InterruptedException {
            long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(timeoutSeconds);
            for (long left = deadline - System.nanoTime(); left > 0; left = deadline - System.nanoTime()) {
                // read before the poll: a stream that ended has queued all its lines, the last one included
                boolean ended = out.ended;
                String line = out.lines.poll(Math.min(left, TimeUnit.SECONDS.toNanos(1)), TimeUnit.NANOSECONDS);
                if (line != null && line.startsWith(prefix)) {
                    return line;
                }
                if (line == null && ended) {
                    break;
                }
            }
            process.destroyForcibly();
            throw new IOException("no line \"" + prefix + "…\" from the sample app within " + timeoutSeconds
                + " s: " + command + "\n" + err.text());
        }

        /** Ends stdin and waits for the exit. */
        SampleRun finish(int timeoutSeconds) throws IOException, InterruptedException {
            try {
                stdin.close();
            } catch (IOException exited) {
                // the app ended already; its exit code says how
            }
            if (!process.waitFor(timeoutSeconds, TimeUnit.SECONDS)) {
                process.destroyForcibly();
                throw new IOException("sample app did not finish within " + timeoutSeconds + " s: " + command);
            }
            long end = System.nanoTime();
            String stdout = out.text();
            return new SampleRun(process.exitValue(), stdout, err.text(),
                TimeUnit.NANOSECONDS.toMillis(out.sampleLineNanos - start),
                TimeUnit.NANOSECONDS.toMillis(end - start));
        }

        /** For a bench that gave up on this run: the JVM goes. */
        void kill() {
            process.destroyForcibly();
        }
    }

    /** Reads a child's stream on its own thread so a full pipe never blocks the child. */
    private static final class Drain extends Thread {
        private final InputStream in;
        /** Every line, for a reader that waits for one. */
        final BlockingQueue<String> lines = new LinkedBlockingQueue<>();
        private volatile String text = "";
        private volatile long sampleLineNanos;
        private volatile boolean ended;

        Drain(InputStream in) {
            this.in = in;
            setDaemon(true);
            start();
        }

        @Override
        public void run() {
            StringBuilder all = new StringBuilder();
            try (BufferedReader reader = new BufferedReader(new InputStreamReader(in, StandardCharsets.UTF_8))) {
                for (String line = reader.readLine(); line != null; line = reader.readLine()) {
                    if (sampleLineNanos == 0 && line.startsWith("sample app:")) {
                        sampleLineNanos = System.nanoTime();
                    }
                    all.append(line).append('\n');
                    lines.add(line);
                }
                text = all.toString();
            } catch (IOException e) {
                text = "(unreadable: " + e + ")";
            } finally {
                ended = true;
            }
        }

        String text() throws InterruptedException {
            join(5000);
            return text;
        }
    }
}
