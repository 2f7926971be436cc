package dev.smtpwatch.it.reliability;

import static dev.smtpwatch.it.ItSupport.assertSent;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import dev.smtpwatch.it.AgentRun;
import dev.smtpwatch.it.ItSupport;
import dev.smtpwatch.it.Report;
import dev.smtpwatch.it.SampleApp;
import dev.smtpwatch.testserver.ScriptedSmtpServer;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.function.UnaryOperator;
import org.junit.jupiter.api.Assumptions;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/**
 * Apps whose surroundings the agent must live with: their own Byte Buddy and SLF4J (with and without a binding) on
 * the class path, a SecurityManager. Each runs without and with the agent; the app's output and exit code match,
 * the mail goes out, the session is recorded. (An app with its own OpenTelemetry API and SDK: {@code otel.*} tests.)
 */
class AppEnvironmentTest {
    private final Path dir = Reliability.runDir("environment");

    private AgentRun.Result bothWays(ScriptedSmtpServer server, String name, UnaryOperator<AgentRun> app)
            throws Exception {
        AgentRun.Result with = Reliability.withAndWithout(
                args -> app.apply(ItSupport.send(SampleApp.JAVAX_MAIL, server, args)), dir.resolve(name + ".jsonl"),
                "otel=off");
        assertEquals(0, with.exitCode(), with::describe);
        return with;
    }

    private JsonNode recorded(String name) {
        JsonNode line = Report.single(dir.resolve(name + ".jsonl"));
        assertEquals("sent", line.path("outcome").asText(), line::toString);
        return line;
    }

    @ParameterizedTest(name = "SLF4J binding: {0}")
    @ValueSource(booleans = {false, true})
    void anAppWithItsOwnByteBuddyAndSlf4j(boolean withBinding) throws Exception {
        String name = "own-libraries-" + (withBinding ? "slf4j-simple" : "no-binding");
        try (ScriptedSmtpServer server = ScriptedSmtpServer.builder().start()) {
            AgentRun.Result run = bothWays(server, name, r -> {
                r.mainClass("dev.smtpwatch.sample.javaxmail.WithOwnLibraries")
                        .classPath(ItSupport.appLibrary("byte-buddy.jar"), ItSupport.appLibrary("slf4j-api.jar"));
                return withBinding ? r.classPath(ItSupport.appLibrary("slf4j-simple.jar")) : r;
            });
            assertEquals(List.of("sample app: its own Byte Buddy generated a subclass of java.lang.Object",
                    "sample app: SLF4J logger org.slf4j." + (withBinding ? "simple.SimpleLogger" : "helpers.NOPLogger"),
                    "sample app: sent 1 message(s)"), run.stdoutLines(), run::describe);
            assertTrue(run.stderr().contains(withBinding ? "INFO app - the app's own SLF4J line"
                    : "No SLF4J providers were found"), run::describe);
            recorded(name);
        }
    }

    /**
     * A SecurityManager (JDK 17, {@code -Djava.security.manager}) with a policy that grants the app's jar and the
     * agent's jar what they need: AllPermission, as for any agent (it reads settings, writes the report, starts
     * threads). The agent's jar without any permission: the app still sends its mail, the agent says it could
     * not start.
     */
    @Test
    void aSecurityManagerWithAPolicyForTheAppAndTheAgent() throws Exception {
        Assumptions.assumeTrue(featureVersion(AgentRun.javaHome()) < 24, "JDK 24 and later have no SecurityManager");
        Path app = SampleApp.JAVAX_MAIL.jar().toAbsolutePath();
        Path policy = dir.resolve("app-and-agent.policy");
        Files.writeString(policy, grant(app) + grant(AgentRun.agentJar()));
        Path appOnly = dir.resolve("app-only.policy");
        Files.writeString(appOnly, grant(app));
        try (ScriptedSmtpServer server = ScriptedSmtpServer.builder().start()) {
            AgentRun.Result run = bothWays(server, "security-manager", r -> r
                    .property("java.security.manager", "default").property("java.security.policy", policy));
            assertSent(run, 1);
            recorded("security-manager");

            AgentRun.Result unprivileged = ItSupport.send(SampleApp.JAVAX_MAIL, server,
                            "report=" + dir.resolve("agent-without-permissions.jsonl") + ",otel=off")
                    .property("java.security.manager", "default").property("java.security.policy", appOnly).run();
            assertSent(unprivileged, 1);
            List<String> agentSaid = unprivileged.stderrLines().stream().filter(l -> l.contains("smtpwatch"))
                    .toList();
            Reliability.record("AppEnvironmentTest", "SecurityManager, agent jar without permissions: mail sent; "
                    + "agent said " + agentSaid);
        }
    }

    /** The JDK's feature version from its {@code release} file ({@code JAVA_VERSION="17.0.13"}). */
    private static int featureVersion(Path javaHome) throws java.io.IOException {
        for (String line : Files.readAllLines(javaHome.resolve("release"))) {
            if (line.startsWith("JAVA_VERSION=")) {
                return Integer.parseInt(line.replaceAll("^JAVA_VERSION=\"(\\d+).*", "$1"));
            }
        }
        throw new IllegalStateException("no JAVA_VERSION in " + javaHome.resolve("release"));
    }

    private static String grant(Path jar) {
        return "grant codeBase \"" + jar.toUri() + "\" { permission java.security.AllPermission; };\n";
    }
}
