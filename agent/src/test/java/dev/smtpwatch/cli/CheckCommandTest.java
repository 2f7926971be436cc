package dev.smtpwatch.cli;

import static dev.smtpwatch.cli.CliHarness.authRejected;
import static dev.smtpwatch.cli.CliHarness.cleanStartTls;
import static dev.smtpwatch.cli.CliHarness.plaintextWithAuth;
import static dev.smtpwatch.cli.CliHarness.run;
import static dev.smtpwatch.cli.CliHarness.startTlsNotRequired;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class CheckCommandTest {
    private static final String CLEARTEXT_AUTH = "relay.example.com:25 critical [cleartext-auth] credentials (AUTH "
        + "PLAIN) were sent to relay.example.com:25 without TLS because mail.smtp.starttls.enable is not set to true"
        + " — fix: set mail.smtp.starttls.enable=true and mail.smtp.starttls.required=true";
    private static final String CLEARTEXT_MESSAGE = "relay.example.com:25 medium [cleartext-message] a message was "
        + "sent to relay.example.com:25 without TLS because mail.smtp.starttls.enable is not set to true — fix: set "
        + "mail.smtp.starttls.enable=true and mail.smtp.starttls.required=true";
    private static final String NOT_REQUIRED = "smtp.example.com:587 medium [starttls-not-required] STARTTLS "
        + "protected smtp.example.com:587 this time, but mail.smtp.starttls.required is false, so a stripped STARTTLS "
        + "would make the library fall back to plaintext silently — fix: set mail.smtp.starttls.required=true";

    @TempDir
    Path dir;
    private Path report;

    @BeforeEach
    void report() throws Exception {
        // findings: cleartext-auth (critical) and cleartext-message (medium) on line 1, none on line 2,
        // starttls-not-required (medium) on line 3, auth-failed (low) on line 4
        report = CliHarness.report(dir, plaintextWithAuth(), cleanStartTls(), startTlsNotRequired(), authRejected());
    }

    @Test
    void belowTheThresholdExitsZeroAndSaysHowManySessionsWereChecked() throws Exception {
        Path clean = CliHarness.report(dir, cleanStartTls(), startTlsNotRequired());

        CliHarness.Run check = run("check", clean.toString(), "--fail-on", "high");

        assertEquals(0, check.exitCode(), check::toString);
        assertEquals(List.of("smtpwatch: no finding at or above high in 2 sessions"), check.outLines());
        assertEquals("", check.err());
    }

    @Test
    void atTheThresholdFailsAndPrintsEachFindingOnOneLine() {
        CliHarness.Run check = run("check", report.toString(), "--fail-on", "medium");

        assertEquals(1, check.exitCode(), check::toString);
        assertEquals(List.of(CLEARTEXT_AUTH, CLEARTEXT_MESSAGE, NOT_REQUIRED,
            "smtpwatch: 3 findings at or above medium in 2 of 4 sessions"), check.outLines());
        assertEquals("", check.err());
    }

    @Test
    void theThresholdCountsOnlyFindingsAtOrAboveIt() {
        CliHarness.Run critical = run("check", report.toString(), "--fail-on", "critical");
        assertEquals(List.of(CLEARTEXT_AUTH, "smtpwatch: 1 finding at or above critical in 1 of 4 sessions"),
            critical.outLines());

        CliHarness.Run info = run("check", "--fail-on", "info", report.toString());
        assertEquals(1, info.exitCode(), info::toString);
        assertEquals("smtpwatch: 4 findings at or above info in 3 of 4 sessions",
            info.outLines().get(info.outLines().size() - 1));
    }

    @Test
    void sarifHasOneRulePerIdAndOneResultPerFindingWithLevelMessageAndLocation() throws Exception {
        Path sarif = dir.resolve("out.sarif");

        CliHarness.Run check = run("check", report.toString(), "--fail-on", "critical", "--sarif", sarif.toString());

        assertEquals(1, check.exitCode(), check::toString);
        assertTrue(check.outLines().contains("smtpwatch: wrote " + sarif + " (SARIF 2.1.0, 4 results)"),
            check::toString);
        JsonNode log = new ObjectMapper().readTree(sarif.toFile());
        assertEquals("2.1.0", log.path("version").asText());
        assertEquals("https://json.schemastore.org/sarif-2.1.0.json", log.path("$schema").asText());
        assertEquals(1, log.path("runs").size());
        JsonNode run = log.path("runs").get(0);
        assertEquals("smtpwatch", run.at("/tool/driver/name").asText());

        JsonNode rules = run.at("/tool/driver/rules");
        assertEquals(List.of("cleartext-auth", "cleartext-message", "starttls-not-required", "auth-failed"),
            texts(rules, "/id"));
        assertEquals(List.of("error", "warning", "warning", "note"), texts(rules, "/defaultConfiguration/level"));
        assertEquals(List.of("9.5", "5.5", "5.5", "3.0"), texts(rules, "/properties/security-severity"));

        // every finding of the report, whatever the threshold, in report order
        JsonNode results = run.path("results");
        assertEquals(List.of("cleartext-auth", "cleartext-message", "starttls-not-required", "auth-failed"),
            texts(results, "/ruleId"));
        assertEquals(List.of("0", "1", "2", "3"), texts(results, "/ruleIndex"));
        assertEquals(List.of("error", "warning", "warning", "note"), texts(results, "/level"));
        assertEquals(List.of("1", "1", "3", "4"), texts(results, "/locations/0/physicalLocation/region/startLine"));
        assertEquals(List.of("relay.example.com:25", "relay.example.com:25", "smtp.example.com:587",
            "smtp.example.com:587"), texts(results, "/locations/0/logicalLocations/0/name"));

        JsonNode first = results.get(0);
        assertEquals(CLEARTEXT_AUTH.substring(CLEARTEXT_AUTH.indexOf("] ") + 2), first.at("/message/text").asText());
        assertEquals(report.toUri().toString(),
            first.at("/locations/0/physicalLocation/artifactLocation/uri").asText());
        assertEquals("smtp://relay.example.com:25",
            first.at("/locations/0/logicalLocations/0/fullyQualifiedName").asText());
        assertEquals("resource", first.at("/locations/0/logicalLocations/0/kind").asText());
        assertEquals("critical", first.at("/properties/severity").asText());
    }

    @Test
    void sarifIsWrittenWhenTheCheckPassesToo() throws Exception {
        Path sarif = dir.resolve("clean.sarif");
        Path clean = CliHarness.report(dir, cleanStartTls());

        CliHarness.Run check = run("check", clean.toString(), "--fail-on", "low", "--sarif", sarif.toString());

        assertEquals(0, check.exitCode(), check::toString);
        JsonNode run = new ObjectMapper().readTree(sarif.toFile()).path("runs").get(0);
        assertEquals(0, run.at("/tool/driver/rules").size());
        assertTrue(run.path("results").isArray() && run.path("results").isEmpty(), run::toString);
    }

    @Test
    void anUnwritableSarifPathIsOneLine() {
        Path sarif = dir.resolve("no-such-dir").resolve("out.sarif");

        CliHarness.Run check = run("check", report.toString(), "--fail-on", "low", "--sarif", sarif.toString());

        assertEquals(2, check.exitCode(), check::toString);
        assertTrue(check.err().startsWith("smtpwatch: cannot write " + sarif + " ("), check::toString);
        assertEquals(1, check.err().lines().count(), check::toString);
    }

    private static List<String> texts(JsonNode array, String pointer) {
        List<String> texts = new ArrayList<>();
        array.forEach(element -> texts.add(element.at(pointer).asText()));
        return texts;
    }
}
