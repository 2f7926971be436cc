package dev.smtpwatch.it.otel;

import dev.smtpwatch.it.ItSupport;
import dev.smtpwatch.it.StreamDrain;
import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.Paths;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import java.util.jar.JarFile;

/**
 * A sample app in its own JVM with smtpwatch and, optionally, the OpenTelemetry Java agent in front of it:
 * {@code java [-javaagent:opentelemetry-javaagent.jar] -javaagent:smtpwatch-agent.jar=args -D… -jar app.jar}, or
 * smtpwatch as that agent's extension ({@code -Dotel.javaagent.extensions=smtpwatch-otel-extension.jar}), or both.
 * The child's environment loses every inherited {@code OTEL_*}, {@code SMTPWATCH_*} and {@code JAVA_TOOL_OPTIONS}.
 */
final class OtelRun {
    private static final List<String> DROPPED = Arrays.asList("JAVA_TOOL_OPTIONS", "_JAVA_OPTIONS", "JDK_JAVA_OPTIONS");

    private final Path appJar;
    private Path otelJavaagent;
    private boolean standaloneAgent = true;
    private boolean standaloneAgentFirst;
    private boolean otelExtension;
    private String agentArgs = "debug=on";
    private final Map<String, String> properties = new LinkedHashMap<>();
    private final Map<String, String> environment = new LinkedHashMap<>();
    private long lingerMillis = -1;

    private OtelRun(Path appJar) {
        this.appJar = appJar;
    }

    /** The app with opentelemetry-api (sample-apps/otel-app). */
    static OtelRun otelApp() {
        return new OtelRun(jar("smtpwatch.it.otelApp", "../sample-apps/otel-app/target/app.jar"));
    }

    /** The Angus Mail app with no OpenTelemetry classes at all (sample-apps/angus-mail). */
    static OtelRun plainApp() {
        return new OtelRun(jar("smtpwatch.it.angusMailApp", "../sample-apps/angus-mail/target/app.jar"));
    }

    /** Spring 5's JavaMailSenderImpl over javax.mail 1.6 (sample-apps/spring5-mail): two sends, no OpenTelemetry. */
    static OtelRun spring5App() {
        return new OtelRun(jar("smtpwatch.it.spring5App", "../sample-apps/spring5-mail/target/app.jar"));
    }

    OtelRun withOtelJavaagent() {
        return withOtelJavaagent(jar("smtpwatch.it.otelJavaagent", "target/otel/opentelemetry-javaagent.jar"));
    }

    OtelRun withOtelJavaagent(Path jar) {
        otelJavaagent = jar;
        return this;
    }

    /** smtpwatch as the OpenTelemetry Java agent's extension ({@code -Dotel.javaagent.extensions}), no -javaagent. */
    OtelRun asOtelExtension() {
        otelExtension = true;
        standaloneAgent = false;
        return this;
    }

    /** The extension and smtpwatch-agent.jar, the latter before or after the OpenTelemetry Java agent. */
    OtelRun asOtelExtensionAndStandaloneAgent(boolean standaloneFirst) {
        otelExtension = true;
        standaloneAgent = true;
        standaloneAgentFirst = standaloneFirst;
        return this;
    }

    OtelRun agentArgs(String args) {
        agentArgs = args;
        return this;
    }

    OtelRun property(String name, Object value) {
        properties.put(name, String.valueOf(value));
        return this;
    }

    OtelRun env(String name, String value) {
        environment.put(name, value);
        return this;
    }

    /**
     * Runs the app's main class through {@link LingeringMain}, which waits this long after main returned (on the
     * class path: the app's jar and this module's test classes, still no OpenTelemetry class).
     */
    OtelRun lingering(long millis) {
        lingerMillis = millis;
        return this;
    }

    /** The app's Main-Class, for otel.instrumentation.methods.include. */
    String mainClass() {
        try (JarFile jar = new JarFile(appJar.toFile())) {
            return jar.getManifest().getMainAttributes().getValue("Main-Class");
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    Result run() {
        List<String> command = new ArrayList<>();
        command.add(Paths.get(System.getProperty("java.home"), "bin", "java").toString());
        String standalone = "-javaagent:" + jar("smtpwatch.it.agentJar", "../agent/target/smtpwatch-agent.jar")
                + (agentArgs.isEmpty() ? "" : "=" + agentArgs);
        if (standaloneAgent && standaloneAgentFirst) {
            command.add(standalone);
        }
        if (otelJavaagent != null) {
            command.add("-javaagent:" + otelJavaagent);
        }
        if (standaloneAgent && !standaloneAgentFirst) {
            command.add(standalone);
        }
        if (otelExtension) {
            command.add("-Dotel.javaagent.extensions="
                    + jar("smtpwatch.it.otelExtension", "../agent/otel-extension/target/smtpwatch-otel-extension.jar"));
        }
        properties.forEach((k, v) -> command.add("-D" + k + "=" + v));
        if (lingerMillis >= 0) {
            command.add("-Dlinger.ms=" + lingerMillis);
            command.add("-cp");
            command.add(appJar + java.io.File.pathSeparator + lingeringMainDir());
            command.add(LingeringMain.class.getName());
            command.add(mainClass());
        } else {
            command.add("-jar");
            command.add(appJar.toString());
        }
        ProcessBuilder builder = new ProcessBuilder(command);
        builder.environment().keySet().removeIf(n -> n.startsWith("OTEL_") || n.startsWith("SMTPWATCH_")
                || DROPPED.contains(n));
        builder.environment().putAll(environment);
        long started = System.nanoTime();
        try {
            Process process = builder.start();
            process.getOutputStream().close();
            StreamDrain out = new StreamDrain(process.getInputStream());
            StreamDrain err = new StreamDrain(process.getErrorStream());
            if (!process.waitFor(90, TimeUnit.SECONDS)) {
                process.destroyForcibly().waitFor(10, TimeUnit.SECONDS);
                throw new AssertionError("app did not exit: " + command + "\n" + out.text() + "\n" + err.text());
            }
            Duration wall = Duration.ofNanos(System.nanoTime() - started);
            return new Result(command, process.exitValue(), out.text(), err.text(), wall);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new AssertionError(e);
        }
    }

    /**
     * A directory holding only {@link LingeringMain}, copied once per test JVM (target/test-classes may be
     * rewritten by a concurrent build).
     */
    private static synchronized Path lingeringMainDir() {
        Path dir = OtelSupport.workDir().resolve("lingering-main");
        String resource = LingeringMain.class.getName().replace('.', '/') + ".class";
        Path file = dir.resolve(resource);
        if (!Files.isRegularFile(file)) {
            try (InputStream in = LingeringMain.class.getClassLoader().getResourceAsStream(resource)) {
                Files.createDirectories(file.getParent());
                Files.write(file, in.readAllBytes());
            } catch (IOException e) {
                throw new UncheckedIOException(e);
            }
        }
        return dir.toAbsolutePath();
    }

    static Path jar(String property, String fallback) {
        return ItSupport.builtJar(property, fallback);
    }

    record Result(List<String> command, int exitCode, String stdout, String stderr, Duration wall) {
        String describe() {
            return "command: " + String.join(" ", command) + "\nexit code: " + exitCode + "\nwall: "
                    + wall.toMillis() + " ms\nstdout:\n" + stdout + "\nstderr:\n" + stderr;
        }

        /** The value of {@code key=} in the app's {@code otel-app: …} line. */
        String printed(String key) {
            for (String line : stdout.split("\\R")) {
                for (String part : line.split(" ")) {
                    if (part.startsWith(key + "=")) {
                        return part.substring(key.length() + 1);
                    }
                }
            }
            throw new AssertionError("the app printed no " + key + "=\n" + describe());
        }

        List<String> stderrLines(String prefix) {
            return stderr.lines().filter(l -> l.startsWith(prefix)).toList();
        }
    }
}
