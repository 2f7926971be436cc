package dev.smtpwatch.it.cli;

import dev.smtpwatch.it.AgentRun;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;

/** {@code java -jar smtpwatch-agent.jar <args>} as a user types it, on the JDK the sample apps run on. */
public final class CliJar {
    private CliJar() {
    }

    /**
     * Runs the CLI in {@code dir} (relative paths are read from there), its output going to files under it (no pipe
     * to drain, nothing to block on).
     */
    public static Result run(Path dir, String... args) throws IOException, InterruptedException {
        return execute(dir, null, List.of(), args);
    }

    /** {@link #run(Path, String...)} with JVM options before {@code -jar}, e.g. {@code -Djavax.net.ssl.trustStore}. */
    public static Result run(Path dir, List<String> jvmOptions, String... args)
            throws IOException, InterruptedException {
        return execute(dir, null, jvmOptions, args);
    }

    /** {@link #run(Path, String...)} with {@code stdin} (a file, or null for none) as the command's standard input. */
    static Result runWithStdin(Path dir, Path stdin, String... args) throws IOException, InterruptedException {
        return execute(dir, stdin, List.of(), args);
    }

    private static Result execute(Path dir, Path stdin, List<String> jvmOptions, String... args)
            throws IOException, InterruptedException {
        List<String> command = new ArrayList<>();
        command.add(AgentRun.java().toString());
        command.addAll(jvmOptions);
        command.addAll(List.of("-jar", AgentRun.agentJar().toString()));
        command.addAll(List.of(args));
        Path out = Files.createTempFile(dir, "cli", ".out");
        Path err = Files.createTempFile(dir, "cli", ".err");
        ProcessBuilder builder = new ProcessBuilder(command).directory(dir.toFile()).redirectOutput(out.toFile())
                .redirectError(err.toFile());
        if (stdin != null) {
            builder.redirectInput(stdin.toFile());
        }
        builder.environment().remove("JAVA_TOOL_OPTIONS");
        builder.environment().remove("JDK_JAVA_OPTIONS");
        Process process = builder.start();
        if (!process.waitFor(60, TimeUnit.SECONDS)) {
            process.destroyForcibly();
            throw new AssertionError("the CLI did not exit within 60 s: " + command);
        }
        return new Result(String.join(" ", command), process.exitValue(), read(out), read(err));
    }

    private static String read(Path file) {
        try {
            return Files.readString(file, StandardCharsets.UTF_8);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    public record Result(String command, int exitCode, String out, String err) {
        public List<String> outLines() {
            return out.lines().toList();
        }

        @Override
        public String toString() {
            return command + "\nexit " + exitCode + "\nstdout:\n" + out + "\nstderr:\n" + err;
        }
    }
}
