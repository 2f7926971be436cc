package dev.smtpwatch.it.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import dev.smtpwatch.it.AgentRun;
import dev.smtpwatch.it.ItSupport;
import dev.smtpwatch.it.Report;
import dev.smtpwatch.it.SampleApp;
import dev.smtpwatch.it.postfix.PostfixServer;
import dev.smtpwatch.it.postfix.PostfixServer.Listener;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.TreeSet;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Collectors;
import java.util.stream.Stream;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * {@code summary} and {@code html} of the built jar over a fleet's reports: three sample apps, each with the agent
 * and its own report file in its own directory, sent mail through the real Postfix — cleanly with STARTTLS and
 * with implicit TLS, with credentials in plaintext to the legacy listener, downgraded on the listener without TLS,
 * and failing on the expired certificate. The page is then read by a real browser (headless Chromium).
 */
@PostfixServer.Required
class FleetReviewTest {
    /** Where the README's screenshot is refreshed from: {@code -Dsmtpwatch.it.screenshot=../docs/images/report.png}. */
    private static final String SCREENSHOT_PROPERTY = "smtpwatch.it.screenshot";
    private static final Pattern SHAPES = Pattern.compile("(\\d+) distinct shapes?");
    private static Path work;
    private static Path fleet;
    private static PostfixServer postfix;
    /** Port → the listener behind it, for reading rows. */
    private static final Map<Integer, Listener> LISTENERS = new LinkedHashMap<>();

    @BeforeAll
    static void sendMailFromThreeApps() throws IOException {
        postfix = PostfixServer.shared();
        work = ItSupport.workDir().resolve("fleet-review");
        deleteTree(work);
        fleet = Files.createDirectories(work.resolve("fleet"));
        for (Listener listener : Listener.values()) {
            LISTENERS.put(postfix.port(listener), listener);
        }
        ItSupport.assertSent(startTlsRequired(withAuth(send(SampleApp.ANGUS_MAIL, Listener.SUBMISSION, "billing")))
            .run(), 1);
        ItSupport.assertSent(withAuth(send(SampleApp.ANGUS_MAIL, Listener.IMPLICIT, "billing"))
            .property("mail.smtp.ssl.enable", "true").run(), 1);
        ItSupport.assertSent(withAuth(send(SampleApp.JAVAX_MAIL, Listener.LEGACY, "legacy-crm")).run(), 1);
        ItSupport.assertSent(withAuth(send(SampleApp.JAVAX_MAIL, Listener.NOTLS, "newsletter"))
            .property("mail.smtp.starttls.enable", "true").run(), 1);
        AgentRun.Result expired = startTlsRequired(send(SampleApp.ANGUS_MAIL, Listener.EXPIRED, "newsletter")).run();
        assertEquals(1, expired.exitCode(), expired::describe);
    }

    private static AgentRun send(SampleApp app, Listener listener, String appName) throws IOException {
        Path report = Files.createDirectories(fleet.resolve(appName)).resolve("smtp.jsonl");
        return ItSupport.send(app, postfix.port(listener), "report=" + report + ",otel=off")
            .property("javax.net.ssl.trustStore", postfix.trustStore())
            .property("javax.net.ssl.trustStorePassword", postfix.trustStorePassword());
    }

    private static AgentRun withAuth(AgentRun run) {
        return run.property("mail.smtp.auth", "true").property("mail.smtp.auth.mechanisms", "PLAIN")
            .property("sample.user", postfix.user()).property("sample.password", postfix.password());
    }

    private static AgentRun startTlsRequired(AgentRun run) {
        return run.property("mail.smtp.starttls.enable", "true").property("mail.smtp.starttls.required", "true");
    }

    private static List<JsonNode> reportLines() throws IOException {
        List<JsonNode> lines = new ArrayList<>();
        for (Path report : reports()) {
            lines.addAll(Report.read(report));
        }
        return lines;
    }

    private static List<Path> reports() throws IOException {
        try (Stream<Path> files = Files.walk(fleet)) {
            return files.filter(file -> file.toString().endsWith(".jsonl")).sorted().toList();
        }
    }

    @Test
    void summaryOfTheFleetDirectory() throws Exception {
        CliJar.Result summary = CliJar.run(work, "summary", fleet.toString());

        assertEquals(0, summary.exitCode(), summary::toString);
        assertEquals("", summary.err());
        List<String> out = summary.outLines();
        assertTrue(out.get(0).startsWith(fleet + ": 5 sessions, "), summary::toString);
        Map<Listener, List<String>> rows = endpointRows(out);
        assertEquals(new TreeSet<>(List.of(Listener.SUBMISSION, Listener.IMPLICIT, Listener.LEGACY, Listener.NOTLS,
            Listener.EXPIRED)), new TreeSet<>(rows.keySet()), summary::toString);
        // ENDPOINT SESSIONS MESSAGES MSG/CONN FAILED THROTTLED AUTH AUTH-IN-CLEAR FINDINGS
        assertEquals(List.of("1", "1", "1.0", "0", "0", "1", "0", "0"), rows.get(Listener.SUBMISSION).subList(1, 9));
        assertEquals(List.of("1", "1", "1.0", "0", "0", "1", "1"), rows.get(Listener.LEGACY).subList(1, 8));
        assertEquals(List.of("1", "1", "1.0", "0", "0", "1", "1"), rows.get(Listener.NOTLS).subList(1, 8));
        assertEquals(List.of("1", "0", "0.0", "1", "0", "0", "0"), rows.get(Listener.EXPIRED).subList(1, 8));

        // each endpoint's inventory says what its report lines say
        for (JsonNode line : reportLines()) {
            List<String> inventory = inventory(out, "localhost:" + line.at("/server/port").asInt());
            assertEquals("  TLS modes     " + line.at("/tls/mode").asText(), inventory.get(0));
            assertEquals("  protocols     " + line.at("/tls/protocol").asText("-"), inventory.get(1));
            assertEquals("  ciphers       " + line.at("/tls/cipher").asText("-"), inventory.get(2));
            assertEquals("  libraries     " + line.at("/library/name").asText() + " "
                + line.at("/library/version").asText(), inventory.get(4));
        }
        Map<String, Integer> expected = new LinkedHashMap<>();
        for (JsonNode line : reportLines()) {
            for (String id : ItSupport.findingIds(line)) {
                expected.merge(id, 1, Integer::sum);
            }
        }
        assertTrue(expected.keySet().containsAll(List.of("cleartext-auth", "starttls-downgrade",
            "tls-handshake-failed")), expected::toString);
        for (Map.Entry<String, Integer> finding : expected.entrySet()) {
            assertTrue(out.stream().anyMatch(row -> row.matches(Pattern.quote(finding.getKey()) + " +\\S+ +"
                + finding.getValue() + " +0 +\\S+Z +\\S+Z")), () -> finding + "\n" + summary);
            assertTrue(out.stream().anyMatch(row -> row.startsWith("[" + finding.getKey() + "] at localhost:")),
                () -> finding + "\n" + summary);
        }
        assertFalse(summary.out().contains(postfix.password()), "the canary password");
    }

    @Test
    void stdinGivesTheSameReviewAsTheDirectory() throws Exception {
        Path all = work.resolve("all-reports.txt");
        Files.deleteIfExists(all);
        for (Path report : reports()) {
            Files.write(all, Files.readAllBytes(report), java.nio.file.StandardOpenOption.CREATE,
                java.nio.file.StandardOpenOption.APPEND);
        }

        CliJar.Result fromDirectory = CliJar.run(work, "summary", fleet.toString());
        CliJar.Result fromStdin = CliJar.runWithStdin(work, all, "summary", "-");

        assertEquals(0, fromStdin.exitCode(), fromStdin::toString);
        assertEquals(fromDirectory.outLines().get(0).replace(fleet.toString(), "stdin"), fromStdin.outLines().get(0));
        // same totals; only the "latest" example of a finding may differ with the reading order
        assertEquals(withoutLatest(fromDirectory.outLines()), withoutLatest(fromStdin.outLines()));
    }

    @Test
    void corruptedAndEmptyFilesAreListedAndTheRestIsRead() throws Exception {
        Path damaged = Files.createDirectories(work.resolve("damaged"));
        String good = Files.readString(reports().get(0), StandardCharsets.UTF_8).lines().findFirst().orElseThrow();
        Path corrupt = Files.writeString(damaged.resolve("corrupt.jsonl"),
            good.substring(0, good.length() / 2) + "\n" + good + "\n\u0000\u0001garbage\n", StandardCharsets.UTF_8);
        Path empty = Files.writeString(damaged.resolve("empty.jsonl"), "");

        CliJar.Result summary = CliJar.run(work, "summary", fleet.toString(), damaged.toString());

        assertEquals(0, summary.exitCode(), summary::toString);
        List<String> out = summary.outLines();
        assertTrue(out.get(0).startsWith(fleet + " " + damaged + ": 6 sessions, "), summary::toString);
        assertEquals("2 lines skipped, not report lines:", out.get(out.size() - 3), summary::toString);
        assertTrue(out.get(out.size() - 2).startsWith("  " + corrupt + " line 1: not valid JSON ("), summary::toString);
        assertTrue(out.get(out.size() - 1).startsWith("  " + corrupt + " line 3: not valid JSON ("), summary::toString);

        CliJar.Result onlyEmpty = CliJar.run(work, "summary", empty.toString());
        assertEquals(0, onlyEmpty.exitCode(), onlyEmpty::toString);
        assertEquals(List.of(empty + ": no sessions"), onlyEmpty.outLines());

        // the CI gate still refuses a file it cannot read whole
        CliJar.Result check = CliJar.run(work, "check", corrupt.toString(), "--fail-on", "high");
        assertEquals(2, check.exitCode(), check::toString);
    }

    @Test
    void theHtmlPageInARealBrowser() throws Exception {
        // relative names, as a user in the reports' directory types them (and the screenshot shows them)
        Path page = work.resolve("report.html");
        CliJar.Result html = CliJar.run(work, "html", "fleet", "-o", "report.html");
        assertEquals(0, html.exitCode(), html::toString);
        assertEquals("smtpwatch: wrote report.html (5 sessions, 5 endpoints, " + findingIds().size()
            + " finding ids, 4 session shapes drawn)", html.out().trim());
        String source = Files.readString(page, StandardCharsets.UTF_8);
        assertTrue(source.contains("<p>5 sessions to 5 endpoints from fleet, "), "the heading names the input");
        assertFalse(source.contains("http://") || source.contains("https://"), "a URL in the page");
        assertFalse(source.contains(postfix.password()), "the canary password");

        try (HeadlessChromium chromium = HeadlessChromium.require(work.resolve("chromium"))) {
            String dom = chromium.dumpDom(page);
            for (int port : LISTENERS.keySet()) {
                if (LISTENERS.get(port) != Listener.WRONG_HOST) {
                    assertTrue(dom.contains("<th scope=\"row\" class=\"endpoint\">localhost:" + port + "</th>"),
                        () -> "endpoint localhost:" + port + " in the DOM");
                }
            }
            for (String id : findingIds()) {
                assertTrue(dom.contains("id=\"finding-" + id + "\""), () -> "finding " + id + " in the DOM");
            }
            Matcher shapes = SHAPES.matcher(dom);
            assertTrue(shapes.find(), "the page says how many shapes it found");
            // the plaintext sessions to the legacy listener and to the one without TLS say the same commands
            assertEquals(4, Integer.parseInt(shapes.group(1)));
            assertEquals(4, count("<svg ", dom), "one ladder per session shape");
            assertEquals(4, count("<figure class=\"shape\"", dom));
            assertTrue(dom.contains("class=\"verb clear-auth\""), "the plaintext AUTH to the legacy listener");
            assertTrue(dom.contains(">✕ TLS handshake failed</text>"), "the expired certificate's session");
            assertTrue(dom.contains("<input type=\"search\" class=\"filter\""), "the page's script ran");
            Matcher reference = Pattern.compile("\\s(?:href|src|action|xlink:href)=\"(?!#)([^\"]*)\"").matcher(dom);
            assertFalse(reference.find(), () -> "a reference out of the page: " + reference.group());

            // without its script the page shows the same (only the filter box, which the script adds, is missing);
            // --dump-dom needs scripting itself, so the script is cut out of a copy rather than switched off
            Path withoutScript = Files.writeString(work.resolve("report-without-script.html"),
                source.replaceAll("(?s)<script>.*</script>", ""));
            String noScript = chromium.dumpDom(withoutScript);
            assertEquals(4, count("<svg ", noScript));
            assertEquals(count("<th scope=\"row\" class=\"endpoint\">", dom),
                count("<th scope=\"row\" class=\"endpoint\">", noScript));
            assertFalse(noScript.contains("class=\"filter\""), "the filter box needs the script");

            // printing opens the catalogue sections; the PDF is kept beside the screenshot
            Path pdf = work.resolve("report.pdf");
            chromium.printToPdf(page, pdf);
            assertTrue(Files.readString(pdf, StandardCharsets.ISO_8859_1).startsWith("%PDF-"), "a PDF");

            Path png = work.resolve("report.png");
            chromium.screenshot(page, png, 1200, 3300);
            assertEquals(List.of(), chromium.requestsByPages(), "requests that left the page");

            // the witness works: a page that loads an image is seen doing so
            Path control = Files.writeString(work.resolve("control.html"),
                "<!DOCTYPE html><title>control</title><img src=\"http://smtpwatch-control.invalid/pixel.png\">");
            chromium.dumpDom(control);
            // (distinct: a browser may ask again on a new connection when the first one ends without an answer)
            assertEquals(List.of("GET http://smtpwatch-control.invalid/pixel.png HTTP/1.1"),
                chromium.requestsByPages().stream().distinct().collect(Collectors.toList()),
                "the control page's request");
            String readme = System.getProperty(SCREENSHOT_PROPERTY, "");
            if (!readme.isBlank()) {
                Files.copy(png, Path.of(readme), StandardCopyOption.REPLACE_EXISTING);
            }
        }
    }

    private static TreeSet<String> findingIds() throws IOException {
        TreeSet<String> ids = new TreeSet<>();
        for (JsonNode line : reportLines()) {
            ids.addAll(ItSupport.findingIds(line));
        }
        return ids;
    }

    /** The endpoint table's rows by listener, each split into its columns. */
    private static Map<Listener, List<String>> endpointRows(List<String> out) {
        Map<Listener, List<String>> rows = new LinkedHashMap<>();
        for (String row : out) {
            Matcher m = Pattern.compile("^localhost:(\\d+) +\\d.*").matcher(row);
            if (m.matches()) {
                rows.put(LISTENERS.get(Integer.parseInt(m.group(1))), List.of(row.split(" +")));
            }
        }
        return rows;
    }

    /** The five inventory lines under an endpoint's heading line. */
    private static List<String> inventory(List<String> out, String endpoint) {
        int heading = out.indexOf(endpoint);
        assertTrue(heading > 0, () -> endpoint + " has no inventory in\n" + String.join("\n", out));
        return out.subList(heading + 1, heading + 6);
    }

    private static List<String> withoutLatest(List<String> out) {
        return out.subList(1, out.size()).stream().filter(line -> !line.startsWith("  latest: ")).toList();
    }

    private static int count(String needle, String text) {
        int n = 0;
        for (int at = text.indexOf(needle); at >= 0; at = text.indexOf(needle, at + 1)) {
            n++;
        }
        return n;
    }

    private static void deleteTree(Path dir) throws IOException {
        if (!Files.exists(dir)) {
            return;
        }
        try (Stream<Path> paths = Files.walk(dir)) {
            for (Path path : paths.sorted(Comparator.reverseOrder()).toList()) {
                Files.delete(path);
            }
        }
    }
}
