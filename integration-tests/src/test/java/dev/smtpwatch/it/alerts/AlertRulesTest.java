package dev.smtpwatch.it.alerts;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.dataformat.yaml.YAMLFactory;
import dev.smtpwatch.it.postfix.PostfixServer;
import java.io.File;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.Paths;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Assumptions;
import org.junit.jupiter.api.Test;

/**
 * docs/alerts: the Prometheus alert rules pass {@code promtool check rules} and their unit tests
 * ({@code promtool test rules}); docs/collector: the example Collector configuration routes OTLP spans to a
 * traces exporter and OTLP metrics to the prometheus exporter the rules are written for. promtool comes from
 * Debian's {@code prometheus} package (.ci/install-promtool.sh); in CI a missing promtool fails the test.
 */
class AlertRulesTest {
    private static final Path DOCS = Paths.get("..", "docs");
    private static final Path RULES = DOCS.resolve("alerts").resolve("smtpwatch-rules.yml");
    private static final Path RULE_TESTS = DOCS.resolve("alerts").resolve("smtpwatch-rules.test.yml");
    private static final Path COLLECTOR = DOCS.resolve("collector").resolve("otel-collector.yaml");

    @Test
    void theRulesAreValid() throws Exception {
        String out = promtool("check", "rules", RULES.toString());
        assertTrue(out.contains("SUCCESS: 7 rules found"), out);
    }

    @Test
    void theRulesPassTheirUnitTests() throws Exception {
        String out = promtool("test", "rules", RULE_TESTS.toString());
        assertTrue(out.contains("SUCCESS"), out);
    }

    @Test
    void theCollectorExampleRoutesSpansToATracesBackendAndMetricsToPrometheus() throws IOException {
        JsonNode config = new ObjectMapper(new YAMLFactory()).readTree(COLLECTOR.toFile());

        assertTrue(config.at("/receivers/otlp/protocols/http").isObject(), "OTLP/HTTP, what smtpwatch sends");
        assertTrue(config.at("/receivers/otlp/protocols/grpc").isObject());
        JsonNode pipelines = config.at("/service/pipelines");
        assertEquals(List.of("otlp"), strings(pipelines.at("/traces/receivers")));
        assertEquals(List.of("otlp"), strings(pipelines.at("/metrics/receivers")));
        assertEquals(List.of("prometheus"), strings(pipelines.at("/metrics/exporters")));
        for (String exporter : strings(pipelines.at("/traces/exporters"))) {
            assertTrue(exporter.startsWith("otlp"), exporter);
            assertTrue(config.at("/exporters").has(exporter), "defined: " + exporter);
        }
        for (JsonNode pipeline : pipelines) {
            for (String processor : strings(pipeline.get("processors"))) {
                assertTrue(config.at("/processors").has(processor), "defined: " + processor);
            }
        }
        // the rules' metric names: unit and _total suffixes on, resource attributes as job/instance only
        JsonNode prometheus = config.at("/exporters/prometheus");
        assertTrue(prometheus.path("add_metric_suffixes").asBoolean(true), prometheus.toString());
        assertTrue(!prometheus.at("/resource_to_telemetry_conversion/enabled").asBoolean(false),
            prometheus.toString());
    }

    private static List<String> strings(JsonNode array) {
        List<String> values = new ArrayList<>();
        array.forEach(v -> values.add(v.asText()));
        return values;
    }

    private static String promtool(String... args) throws IOException, InterruptedException {
        Path promtool = onPath("promtool");
        List<String> command = new ArrayList<>(List.of(promtool.toString()));
        command.addAll(List.of(args));
        Process process = new ProcessBuilder(command).redirectErrorStream(true).start();
        String out = new String(process.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
        assertTrue(process.waitFor(60, TimeUnit.SECONDS), "promtool did not finish");
        assertEquals(0, process.exitValue(), String.join(" ", command) + ":\n" + out);
        return out;
    }

    private static Path onPath(String name) {
        for (String dir : System.getenv().getOrDefault("PATH", "").split(File.pathSeparator)) {
            Path candidate = Paths.get(dir, name);
            if (Files.isExecutable(candidate)) {
                return candidate;
            }
        }
        String reason = "no " + name + " on the PATH (apt-get install prometheus, or .ci/install-promtool.sh)";
        if (PostfixServer.required()) {
            throw new AssertionError(PostfixServer.REQUIRE_ENV + " is set (CI) but there is " + reason);
        }
        Assumptions.assumeTrue(false, reason);
        return null;
    }
}
