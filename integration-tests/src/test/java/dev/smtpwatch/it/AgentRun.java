package dev.smtpwatch.it;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.Paths;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import java.util.function.UnaryOperator;

/**
 * Runs a sample app in its own JVM the way users run theirs: {@code java [-javaagent:agent.jar=args] -D... -jar
 * app.jar}, with a timeout, capturing exit code, stdout and stderr.
 *
 * <p>The {@code java} is the test JVM's own unless the system property {@value #JAVA_HOME_PROPERTY} or the
 * environment variable {@value #JAVA_HOME_ENV} names another JDK (e.g. {@code /usr/lib/jvm/temurin-25-jdk-amd64}).
 * The child gets the test's environment minus anything that would change the agent's or the JVM's behaviour
 * ({@code SMTPWATCH_*}, {@code JAVA_TOOL_OPTIONS}, …) unless a test sets it.
 */
public final class AgentRun {
    public static final String JAVA_HOME_PROPERTY = "smtpwatch.it.javaHome";
    public static final String JAVA_HOME_ENV = "SMTPWATCH_IT_JAVA_HOME";
    private static final List<String> INHERITED_ENV_DROPPED =
            Arrays.asList("JAVA_TOOL_OPTIONS", "_JAVA_OPTIONS", "JDK_JAVA_OPTIONS");
    private static final Duration DEFAULT_TIMEOUT = Duration.ofSeconds(60);

    private final Path jar;
    private final UnaryOperator<String> propertyName;
    private String mainClass;
    private final List<Path> classPath = new ArrayList<>();
    private String agentArgs = "";
    private boolean withAgent = true;
    private final Map<String, String> properties = new LinkedHashMap<>();
    private final Map<String, String> environment = new LinkedHashMap<>();
    private final List<String> jvmOptions = new ArrayList<>();
    private Duration timeout = DEFAULT_TIMEOUT;
    private Path javaHome;
    /** A main class of these tests that runs the app's jar (its first argument), or null: the app runs itself. */
    private Class<?> host;
    private final List<String> hostArgs = new ArrayList<>();
    private final List<Path> hostClassPath = new ArrayList<>();

    private AgentRun(Path jar, UnaryOperator<String> propertyName) {
        this.jar = jar;
        this.propertyName = propertyName;
    }

    /** A run of {@code app} with the agent and no agent arguments. */
    public static AgentRun of(SampleApp app) {
        return new AgentRun(app.jar(), app::propertyName);
    }

    /** A run of the runnable jar {@code jar}, whose settings are the plain {@code mail.*} and {@code sample.*}. */
    public static AgentRun ofJar(Path jar) {
        return new AgentRun(jar, UnaryOperator.identity());
    }

    /** Runs {@code className} from the jar's class path instead of its {@code Main-Class}. */
    public AgentRun mainClass(String className) {
        this.mainClass = className;
        return this;
    }

    /** With {@link #mainClass}: more jars after the app's on {@code -cp}, as libraries the app brings. */
    public AgentRun classPath(Path... jars) {
        classPath.addAll(Arrays.asList(jars));
        return this;
    }

    /** The agent arguments, e.g. {@code report=/tmp/r.jsonl,debug=on}. */
    public AgentRun agentArgs(String args) {
        this.agentArgs = args;
        this.withAgent = true;
        return this;
    }

    /** Runs the app without {@code -javaagent}. */
    public AgentRun withoutAgent() {
        this.withAgent = false;
        return this;
    }

    /** Adds {@code -Dname=value}. */
    public AgentRun property(String name, Object value) {
        properties.put(name, String.valueOf(value));
        return this;
    }

    /** Adds {@code -Dname=value} for each entry. */
    public AgentRun properties(Map<String, String> more) {
        more.forEach(this::property);
        return this;
    }

    /** Drops {@code -Dname=…} again. */
    public AgentRun withoutProperty(String name) {
        properties.remove(name);
        return this;
    }

    /** Sets an environment variable for the child. */
    public AgentRun env(String name, String value) {
        environment.put(name, value);
        return this;
    }

    public AgentRun timeout(Duration timeout) {
        this.timeout = timeout;
        return this;
    }

    /** Runs the app on the JDK at {@code javaHome} instead of {@link #javaHome()}; null: back to the default. */
    public AgentRun javaHome(Path javaHome) {
        this.javaHome = javaHome;
        return this;
    }

    /**
     * Runs the app's jar in a class loader that cannot see the application class path ({@link IsolatedLoaderMain})
     * instead of {@code -jar}.
     */
    public AgentRun inIsolatedLoader() {
        return hostedBy(IsolatedLoaderMain.class);
    }

    /**
     * Runs {@code hostMain}, a main class of these tests, with the app's jar and then {@code args} as its
     * arguments, instead of {@code -jar}: for hosts that load the app the way a server does.
     */
    public AgentRun hostedBy(Class<?> hostMain, String... args) {
        this.host = hostMain;
        this.hostArgs.clear();
        this.hostArgs.addAll(Arrays.asList(args));
        return this;
    }

    /** Puts {@code jar} on the host's class path, after these tests' own classes. */
    public AgentRun hostClassPath(Path jar) {
        hostClassPath.add(jar);
        return this;
    }

    /** Adds a JVM option such as {@code -Xmx64m}, before the main class. */
    public AgentRun jvmOption(String option) {
        jvmOptions.add(option);
        return this;
    }

    /** Starts the JVM and waits for it. */
    public Result run() {
        return start().await();
    }

    /** Starts the JVM without waiting, for runs that must overlap. */
    public Started start() {
        List<String> command = command();
        ProcessBuilder builder = new ProcessBuilder(command);
        Map<String, String> env = builder.environment();
        env.keySet().removeIf(name -> name.startsWith("SMTPWATCH_") || INHERITED_ENV_DROPPED.contains(name));
        env.putAll(environment);
        Instant startedAt = Instant.now();
        try {
            Process process = builder.start();
            process.getOutputStream().close();
            return new Started(command, process, startedAt, timeout);
        } catch (IOException e) {
            throw new UncheckedIOException("cannot start " + command, e);
        }
    }

    private List<String> command() {
        List<String> command = new ArrayList<>();
        command.add((javaHome != null ? java(javaHome) : java()).toString());
        if (withAgent) {
            command.add("-javaagent:" + agentJar() + (agentArgs.isEmpty() ? "" : "=" + agentArgs));
        }
        command.addAll(jvmOptions);
        for (Map.Entry<String, String> property : properties.entrySet()) {
            command.add("-D" + propertyName.apply(property.getKey()) + "=" + property.getValue());
        }
        if (host != null) {
            command.add("-cp");
            StringBuilder classPath = new StringBuilder(ownClasses());
            hostClassPath.forEach(jar -> classPath.append(java.io.File.pathSeparator).append(jar));
            command.add(classPath.toString());
            command.add(host.getName());
            command.add(jar.toString());
            command.addAll(hostArgs);
        } else if (mainClass == null) {
            command.add("-jar");
            command.add(jar.toString());
        } else {
            command.add("-cp");
            StringBuilder cp = new StringBuilder(jar.toString());
            classPath.forEach(extra -> cp.append(java.io.File.pathSeparator).append(extra));
            command.add(cp.toString());
            command.add(mainClass);
        }
        return command;
    }

    private static String ownClasses() {
        try {
            return Paths.get(IsolatedLoaderMain.class.getProtectionDomain().getCodeSource().getLocation().toURI())
                    .toString();
        } catch (java.net.URISyntaxException e) {
            throw new IllegalStateException(e);
        }
    }

    /** The JDK the sample apps run on. */
    public static Path javaHome() {
        String configured = System.getProperty(JAVA_HOME_PROPERTY);
        if (configured == null || configured.isBlank()) {
            configured = System.getenv(JAVA_HOME_ENV);
        }
        if (configured == null || configured.isBlank()) {
            configured = System.getProperty("java.home");
        }
        return Paths.get(configured);
    }

    public static Path java() {
        return java(javaHome());
    }

    /** {@code bin/java} of the JDK at {@code javaHome}; fails when there is none. */
    public static Path java(Path javaHome) {
        Path java = javaHome.resolve("bin").resolve("java");
        if (!Files.isExecutable(java)) {
            throw new IllegalStateException("no java at " + java + " (from " + JAVA_HOME_PROPERTY + " / "
                    + JAVA_HOME_ENV + " / java.home)");
        }
        return java;
    }

    public static Path agentJar() {
        String configured = System.getProperty("smtpwatch.it.agentJar");
        Path jar = configured != null && !configured.isBlank()
                ? Paths.get(configured) : Paths.get("../agent/target/smtpwatch-agent.jar");
        if (!Files.isRegularFile(jar)) {
            throw new IllegalStateException("agent jar " + jar.toAbsolutePath().normalize()
                    + " is missing; build it first: mvn -q install -DskipTests");
        }
        return jar.toAbsolutePath().normalize();
    }

    /** A JVM that was started and is still to be waited for. */
    public static final class Started {
        private final List<String> command;
        private final Process process;
        private final Instant startedAt;
        private final Duration timeout;
        private final StreamDrain out;
        private final StreamDrain err;

        private Started(List<String> command, Process process, Instant startedAt, Duration timeout) {
            this.command = command;
            this.process = process;
            this.startedAt = startedAt;
            this.timeout = timeout;
            this.out = new StreamDrain(process.getInputStream());
            this.err = new StreamDrain(process.getErrorStream());
        }

        public long pid() {
            return process.pid();
        }

        /**
         * Waits, while the JVM runs, until its stderr has a line starting with {@code prefix}, and returns that line;
         * fails when the JVM exits or {@code timeout} passes first.
         */
        public String awaitStderrLine(String prefix, Duration timeout) throws InterruptedException {
            long deadline = System.nanoTime() + timeout.toNanos();
            while (System.nanoTime() < deadline) {
                for (String line : Result.lines(err.textSoFar())) {
                    if (line.startsWith(prefix)) {
                        return line;
                    }
                }
                if (!process.isAlive()) {
                    break;
                }
                Thread.sleep(50);
            }
            throw new AssertionError("no stderr line starting with '" + prefix + "' while the JVM ran (alive: "
                    + process.isAlive() + ")\nstderr so far: " + err.textSoFar());
        }

        /**
         * Under {@code <workDir>/runs}, for the canary sweep over everything the suite printed (not the command line:
         * it holds the test's own {@code -Dsample.password=…}, an input, not output).
         */
        private void keepOutput(Result result) {
            try {
                Path runs = Files.createDirectories(ItSupport.workDir().resolve("runs"));
                String name = startedAt.toEpochMilli() + "-" + process.pid();
                Files.writeString(runs.resolve(name + ".stdout"), result.stdout());
                Files.writeString(runs.resolve(name + ".stderr"), result.stderr());
            } catch (IOException e) {
                throw new UncheckedIOException("cannot keep the output of " + command, e);
            }
        }

        public boolean alive() {
            return process.isAlive();
        }

        /** Asks the JVM to exit (SIGTERM: shutdown hooks run, as on a normal stop) and waits for it. */
        public Result terminate() {
            // through the handle: Process.destroy() would also close the pipes the output is still read from
            process.toHandle().destroy();
            return await();
        }

        /** Waits for the exit; a JVM still running after the timeout is killed and fails the test. */
        public Result await() {
            try {
                if (!process.waitFor(timeout.toMillis(), TimeUnit.MILLISECONDS)) {
                    process.destroyForcibly().waitFor(10, TimeUnit.SECONDS);
                    throw new AssertionError("sample app did not exit within " + timeout + ": " + command
                            + "\nstdout: " + out.text() + "\nstderr: " + err.text());
                }
                Instant endedAt = Instant.now();
                Result result = new Result(command, process.exitValue(), out.text(), err.text(), startedAt, endedAt);
                keepOutput(result);
                return result;
            } catch (InterruptedException e) {
                process.destroyForcibly();
                Thread.currentThread().interrupt();
                throw new AssertionError("interrupted while waiting for " + command, e);
            }
        }
    }

    /** How the JVM ended and what it printed. */
    public static final class Result {
        private final List<String> command;
        private final int exitCode;
        private final String stdout;
        private final String stderr;
        private final Instant startedAt;
        private final Instant endedAt;

        Result(List<String> command, int exitCode, String stdout, String stderr, Instant startedAt,
                Instant endedAt) {
            this.command = command;
            this.exitCode = exitCode;
            this.stdout = stdout;
            this.stderr = stderr;
            this.startedAt = startedAt;
            this.endedAt = endedAt;
        }

        public int exitCode() {
            return exitCode;
        }

        public String stdout() {
            return stdout;
        }

        public String stderr() {
            return stderr;
        }

        public List<String> stderrLines() {
            return lines(stderr);
        }

        public List<String> stdoutLines() {
            return lines(stdout);
        }

        /** Just before the JVM was started. */
        public Instant startedAt() {
            return startedAt;
        }

        /** Just after it exited. */
        public Instant endedAt() {
            return endedAt;
        }

        /** Everything about the run, for assertion messages. */
        public String describe() {
            return "command: " + String.join(" ", command) + "\nexit code: " + exitCode + "\nstdout:\n" + stdout
                    + "\nstderr:\n" + stderr;
        }

        private static List<String> lines(String text) {
            List<String> lines = new ArrayList<>();
            for (String line : text.split("\\R")) {
                if (!line.isEmpty()) {
                    lines.add(line);
                }
            }
            return lines;
        }

        @Override
        public String toString() {
            return describe();
        }
    }
}
