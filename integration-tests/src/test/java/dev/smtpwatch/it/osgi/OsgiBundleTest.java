package dev.smtpwatch.it.osgi;

import static dev.smtpwatch.it.ItSupport.assertSent;
import static dev.smtpwatch.it.ItSupport.send;
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
import java.nio.file.Paths;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.stream.Collectors;
import org.apache.felix.framework.Felix;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * A real OSGi framework (Apache Felix, its defaults) in a JVM with {@code -javaagent}, hosting a bundle that embeds
 * Angus Mail and sends one message when it starts. The woven transport reaches the agent's dispatcher on the boot
 * class path through Felix's implicit boot delegation (on by default) or through {@code org.osgi.framework
 * .bootdelegation}; with neither the mail still goes out and one WARN says what to configure (docs/configuration.md,
 * "App servers and OSGi").
 */
class OsgiBundleTest {
    private static final String TRANSPORT = "org.eclipse.angus.mail.smtp.SMTPTransport";

    @TempDir
    Path dir;

    /** Felix's defaults include implicit boot delegation: a class the bundle lacks is looked for on the boot path. */
    @Test
    void withFelixDefaultsTheBundlesSessionIsRecorded() throws Exception {
        assertRecorded();
    }

    @Test
    void withBootDelegationTheBundlesSessionIsRecorded() throws Exception {
        assertRecorded("org.osgi.framework.bootdelegation=dev.smtpwatch.bootstrap",
                "felix.bootdelegation.implicit=false");
    }

    /** As in a framework that delegates to the boot path only what {@code org.osgi.framework.bootdelegation} names. */
    @Test
    void withoutAnyBootDelegationTheMailGoesOutAndOneWarnSaysWhatToConfigure() throws Exception {
        Path report = dir.resolve("report.jsonl");
        try (ScriptedSmtpServer server = ScriptedSmtpServer.builder().start()) {
            AgentRun.Result run = felix(server, report, "felix.bootdelegation.implicit=false").run();

            assertSent(run, 1);
            assertEquals(1, run.stderrLines().stream().filter(l -> l.startsWith("WARN smtpwatch not instrumenting "
                    + TRANSPORT) && l.contains("org.osgi.framework.bootdelegation")).count(), run::describe);
            assertTrue(!Files.exists(report) || Report.read(report).isEmpty(), run::describe);
            server.awaitConnections(1, ItSupport.SERVER_WAIT);
        }
    }

    private void assertRecorded(String... frameworkProperties) throws Exception {
        Path report = dir.resolve("report.jsonl");
        try (ScriptedSmtpServer server = ScriptedSmtpServer.builder().start()) {
            AgentRun.Result run = felix(server, report, frameworkProperties).run();

            assertSent(run, 1);
            JsonNode line = Report.single(report);
            assertEquals("sent", line.path("outcome").asText(), line::toString);
            assertEquals("angus-mail", line.at("/library/name").asText(), line::toString);
            assertEquals(TRANSPORT, line.at("/library/transport").asText(), line::toString);
            assertEquals(List.of("EHLO", "MAIL", "RCPT", "DATA", "QUIT"),
                    ItSupport.field(line.path("commands"), "verb"), line::toString);
            assertEquals(List.of(), run.stderrLines().stream().filter(l -> !l.startsWith("WARN smtpwatch [")
                    && !l.equals(ItSupport.CDS_NOTICE)).collect(Collectors.toList()), run::describe);
            server.awaitConnections(1, ItSupport.SERVER_WAIT);
        }
    }

    private AgentRun felix(ScriptedSmtpServer server, Path report, String... frameworkProperties) {
        List<String> hostArgs = new ArrayList<>(List.of(dir.resolve("osgi").toAbsolutePath().toString()));
        hostArgs.addAll(List.of(frameworkProperties));
        return send(SampleApp.ANGUS_MAIL, server, "report=" + report + ",otel=off")
                .hostClassPath(felixJar())
                .hostedBy(OsgiHost.class, hostArgs.toArray(new String[0]))
                .timeout(Duration.ofSeconds(30));
    }

    private static Path felixJar() {
        try {
            return Paths.get(Felix.class.getProtectionDomain().getCodeSource().getLocation().toURI());
        } catch (java.net.URISyntaxException e) {
            throw new IllegalStateException(e);
        }
    }
}
