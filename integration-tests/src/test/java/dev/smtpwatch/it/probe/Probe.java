package dev.smtpwatch.it.probe;

import static org.junit.jupiter.api.Assertions.assertEquals;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.smtpwatch.it.cli.CliJar;
import java.io.IOException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;

/** {@code java [options] -jar smtpwatch-agent.jar probe ...} in a JVM of its own, as a user runs it. */
final class Probe {
    private static final ObjectMapper JSON = new ObjectMapper();

    private Probe() {
    }

    /** A run with {@code --json}; its output parsed. */
    static Json json(Path dir, List<String> jvmOptions, String... args) throws IOException, InterruptedException {
        List<String> all = new ArrayList<>(List.of(args));
        all.add("--json");
        CliJar.Result run = CliJar.run(dir, jvmOptions, all.toArray(new String[0]));
        assertEquals("", run.err(), run::toString);
        return new Json(run, JSON.readTree(run.out()));
    }

    /** JVM options that make the JVM trust {@code trustStore} (a PKCS12 file with password changeit). */
    static List<String> trusting(Path trustStore) {
        return List.of("-Djavax.net.ssl.trustStore=" + trustStore.toAbsolutePath(),
                "-Djavax.net.ssl.trustStorePassword=changeit");
    }

    static List<String> ids(JsonNode probe) {
        List<String> ids = new ArrayList<>();
        probe.path("findings").forEach(finding -> ids.add(finding.path("id").asText()));
        return ids;
    }

    static List<String> texts(JsonNode array) {
        List<String> texts = new ArrayList<>();
        array.forEach(element -> texts.add(element.asText()));
        return texts;
    }

    /** One probe run and its JSON output. */
    record Json(CliJar.Result run, JsonNode out) {
        JsonNode at(String pointer) {
            return out.at(pointer);
        }

        String describe() {
            return run.toString();
        }
    }
}
