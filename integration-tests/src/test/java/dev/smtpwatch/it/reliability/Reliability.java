package dev.smtpwatch.it.reliability;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;

import dev.smtpwatch.it.AgentRun;
import dev.smtpwatch.it.ItSupport;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.util.List;
import java.util.function.Function;
import java.util.regex.Pattern;

/**
 * What the reliability tests share: where their files go, the figures docs/reliability.md quotes, and the run of a
 * scenario without and with the agent.
 */
final class Reliability {
    /** ESC, CR and the other C0 controls but tab: none may reach a report line's text or the agent's log raw. */
    static final Pattern CONTROL = Pattern.compile("[\\x00-\\x08\\x0b-\\x1f\\x7f]");
    private static final String AGENT_LINE = "^(WARN|INFO|DEBUG) smtpwatch .*";

    private Reliability() {
    }

    /**
     * Runs {@code app} (given the agent arguments, returning the configured run) without the agent, then with it and
     * {@code report=<report>,<agentArgs>}: the exit code, stdout and the app's own stderr lines must be the same,
     * and no agent log line may hold a raw control character.
     */
    static AgentRun.Result withAndWithout(Function<String, AgentRun> app, Path report, String agentArgs)
            throws IOException {
        Files.deleteIfExists(report);
        AgentRun.Result without = app.apply("").withoutAgent().run();
        AgentRun.Result with = app.apply("report=" + report + (agentArgs.isEmpty() ? "" : "," + agentArgs)).run();
        assertEquals(without.exitCode(), with.exitCode(), with::describe);
        assertEquals(without.stdoutLines(), with.stdoutLines(), with::describe);
        assertEquals(appLines(without), appLines(with), () -> "the app saw something else with the agent:\n"
                + with.describe());
        for (String line : agentLines(with)) {
            assertFalse(CONTROL.matcher(line).find(), () -> "a raw control character in the agent's log: " + line);
        }
        return with;
    }

    static List<String> appLines(AgentRun.Result run) {
        return run.stderrLines().stream().filter(l -> !l.matches(AGENT_LINE)).toList();
    }

    static List<String> agentLines(AgentRun.Result run) {
        return run.stderrLines().stream().filter(l -> l.matches(AGENT_LINE)).toList();
    }

    /** The agent's lines other than its per-finding {@code WARN smtpwatch [<id>]} ones. */
    static List<String> agentLinesExceptFindings(AgentRun.Result run) {
        return agentLines(run).stream().filter(l -> !l.startsWith("WARN smtpwatch [")).toList();
    }

    /** {@code <workDir>/reliability/<name>}, created; left after the run for the canary sweep. */
    static Path runDir(String name) {
        try {
            return Files.createDirectories(ItSupport.workDir().resolve("reliability").resolve(name));
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    /** One line of {@code <workDir>/reliability/figures.txt} and stdout: a measured figure of a guarantee. */
    static void record(String test, String figure) {
        String line = test + ": " + figure;
        System.out.println("reliability figure " + line);
        try {
            Files.writeString(runDir(".").resolve("figures.txt"), line + "\n", StandardCharsets.UTF_8,
                    StandardOpenOption.CREATE, StandardOpenOption.APPEND);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }
}
