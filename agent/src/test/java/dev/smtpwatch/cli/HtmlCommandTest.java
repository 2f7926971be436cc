package dev.smtpwatch.cli;

import static dev.smtpwatch.cli.CliHarness.authRejected;
import static dev.smtpwatch.cli.CliHarness.cleanStartTls;
import static dev.smtpwatch.cli.CliHarness.plaintextWithAuth;
import static dev.smtpwatch.cli.CliHarness.run;
import static dev.smtpwatch.cli.CliHarness.startTlsNotRequired;
import static dev.smtpwatch.cli.SummaryCommandTest.command;
import static dev.smtpwatch.cli.SummaryCommandTest.NONE;
import static dev.smtpwatch.cli.SummaryCommandTest.finding;
import static dev.smtpwatch.cli.SummaryCommandTest.line;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.BufferedWriter;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The page as text: what it shows, what it escapes and masks, and that it asks for nothing outside itself. */
class HtmlCommandTest {
    private static final Pattern SVG = Pattern.compile("<svg ");

    @TempDir
    Path dir;

    private String html(String... args) throws Exception {
        Path page = dir.resolve("report.html");
        String[] all = new String[args.length + 3];
        all[0] = "html";
        System.arraycopy(args, 0, all, 1, args.length);
        all[args.length + 1] = "-o";
        all[args.length + 2] = page.toString();
        CliHarness.Run run = run(all);
        assertEquals(0, run.exitCode(), run::toString);
        assertEquals("", run.err());
        return Files.readString(page, StandardCharsets.UTF_8);
    }

    @Test
    void endpointsFindingsWithTheCatalogueTextAndALadderPerShape() throws Exception {
        Path report = CliHarness.report(dir, startTlsNotRequired(), plaintextWithAuth(), cleanStartTls(),
            authRejected(), startTlsNotRequired());

        String page = html(report.toString());

        assertTrue(page.startsWith("<!DOCTYPE html>"), page);
        for (String endpoint : new String[] {"relay.example.com:25", "smtp.example.com:587"}) {
            assertTrue(page.contains("<th scope=\"row\" class=\"endpoint\">" + endpoint + "</th>"), endpoint);
        }
        for (String id : new String[] {"cleartext-auth", "starttls-not-required", "cleartext-message", "auth-failed"}) {
            assertTrue(page.contains("id=\"finding-" + id + "\""), id);
        }
        // the catalogue's section, from docs/findings.md in the jar
        assertTrue(page.contains("<strong>Rule:</strong> <code>CleartextAuthRule</code>"), "catalogue text");
        // three shapes: the clean and the not-required STARTTLS sessions talk alike; plaintext and failed AUTH differ
        assertEquals(3, count(SVG, page), page);
        assertTrue(page.contains("class=\"verb clear-auth\""), "the plaintext AUTH is marked");
        assertTrue(page.contains("<rect class=\"tls-band\""), "TLS band of the STARTTLS sessions");
    }

    @Test
    void aSelfContainedPageThatRequestsNothing() throws Exception {
        String page = html(CliHarness.report(dir, plaintextWithAuth(), cleanStartTls()).toString());

        assertTrue(page.contains("<meta http-equiv=\"Content-Security-Policy\" content=\"default-src 'none'; "
            + "style-src 'unsafe-inline'; script-src 'unsafe-inline'; img-src data:\">"), "CSP");
        assertFalse(page.contains("http://") || page.contains("https://"), "no URL at all in the page");
        for (String external : new String[] {"<link", " src=", "@import", "url(http", "<iframe", "<img"}) {
            assertFalse(page.contains(external), external);
        }
    }

    @Test
    void everythingFromTheReportIsEscapedAndNoAddressShows() throws Exception {
        String hostile = line("2026-11-23T12:00:00.000Z", "evil\\\"><script>alert(1)</script>", 25, NONE,
            "{\"verb\":\"MAIL\",\"arg\":\"FROM:<alice@example.com>\",\"tls\":false,\"reply\":250},"
                + "{\"verb\":\"AUTH\",\"arg\":\"<b>PLAIN</b>\",\"tls\":false,\"reply\":235}",
            1, "failed", "\"error\":{\"type\":\"x\",\"message\":\"550 <alice@example.com> unknown\"},",
            finding("property-typo", "medium", "<img src=x onerror=alert(2)> for alice@example.com", "fix & go",
                ""));

        String page = html(CliHarness.write(dir, "r.jsonl", hostile).toString());

        assertFalse(page.contains("<script>alert"), "script from the report");
        assertFalse(page.contains("<img"), "element from the report");
        assertFalse(page.contains("<b>PLAIN"), "element in an AUTH mechanism");
        assertTrue(page.contains("&lt;img src=x onerror=alert(2)&gt; for a***@example.com"), page);
        assertTrue(page.contains("fix &amp; go"), page);
        assertFalse(page.contains("alice@"), "unmasked address");
    }

    @Test
    void anEnforcedFindingMarksTheBlockedStep() throws Exception {
        String blocked = line("2026-11-23T12:00:00.000Z", "relay.example.com", 25, NONE,
            command("EHLO", false, 250), 0, "failed", "",
            finding("cleartext-auth", "critical", "blocked", "use TLS", ",\"enforced\":true"));

        String page = html(CliHarness.write(dir, "r.jsonl", blocked).toString());

        assertTrue(page.contains("<path class=\"cross\""), page);
        assertTrue(page.contains(">blocked by smtpwatch (cleartext-auth)</text>"), page);
        assertTrue(page.contains("<dt>Blocked</dt><dd>1 by smtpwatch enforce</dd>"), page);
    }

    /** The agent marks the command it stopped: the cross is on that MAIL, not after the library's QUIT. */
    @Test
    void theCommandMarkedBlockedGetsTheCrossEvenWhenQuitFollows() throws Exception {
        String blocked = line("2026-11-23T12:00:00.000Z", "relay.example.com", 25, NONE,
            command("EHLO", false, 250) + ",{\"verb\":\"MAIL\",\"tls\":false,\"reply\":-1,\"blocked\":true},"
                + command("QUIT", false, 221), 0, "failed", "",
            finding("starttls-downgrade", "critical", "blocked", "require STARTTLS", ",\"enforced\":true"));

        String page = html(CliHarness.write(dir, "r.jsonl", blocked).toString());

        assertTrue(page.contains(">blocked by smtpwatch (starttls-downgrade)</text>"), page);
        assertFalse(page.contains("next command"), page);
        assertTrue(page.indexOf("<path class=\"cross\"") < page.lastIndexOf(">QUIT</text>"), page);
    }

    /**
     * 100,000 lines, 2,000 endpoints and more distinct shapes than are drawn: the page says what it left out and
     * stays the size of the caps, not of the input.
     */
    @Test
    void aHundredThousandLinesMakeABoundedPage() throws Exception {
        Path big = dir.resolve("big.jsonl");
        String[] verbs = {"EHLO", "HELO", "NOOP", "RSET", "VRFY", "HELP", "MAIL", "RCPT", "DATA", "QUIT"};
        try (BufferedWriter out = Files.newBufferedWriter(big, StandardCharsets.UTF_8)) {
            for (int i = 0; i < 100_000; i++) {
                int shape = i % 600;
                String commands = command(verbs[shape % 10], false, 250) + "," + command(verbs[shape / 10 % 10],
                    false, 250) + "," + command(verbs[shape / 100], shape % 2 == 0, 400 + shape % 3 * 50);
                out.write(line(String.format("2026-11-23T12:%02d:%02d.000Z", i / 60 % 60, i % 60),
                    "host" + (i % 2000) + ".example.com", 587, NONE, commands, 1, "sent", "",
                    finding("cleartext-message", "medium", "m", "f", "")));
                out.newLine();
            }
        }

        String page = html(big.toString());

        assertEquals(SessionShapes.DRAWN, count(SVG, page));
        assertTrue(page.contains("the 40 most frequent are drawn (at most 40, tracking at most 500)"), "cap noted");
        assertTrue(page.contains("<th scope=\"row\" class=\"endpoint\">" + FleetSummary.OTHER_ENDPOINTS + "</th>"),
            "endpoints beyond the cap");
        assertTrue(page.length() < 3_000_000, () -> "page of " + page.length() + " characters");
    }

    private static int count(Pattern pattern, String text) {
        Matcher m = pattern.matcher(text);
        int n = 0;
        while (m.find()) {
            n++;
        }
        return n;
    }
}
