package dev.smtpwatch.cli;

import dev.smtpwatch.rules.Finding;
import dev.smtpwatch.rules.Severity;
import java.io.File;
import java.io.FileOutputStream;
import java.io.IOException;
import java.io.OutputStreamWriter;
import java.io.Writer;
import java.net.URI;
import java.net.URISyntaxException;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * The findings of a report as SARIF 2.1.0, for code-scanning dashboards: one rule per finding id, one result per
 * finding in the report. A runtime report has no source file, so each result points at the report line that holds
 * its session (a physical location, which tools such as GitHub code scanning require) and names the SMTP server
 * as a logical location.
 */
final class SarifReport {
    private static final String SCHEMA = "https://json.schemastore.org/sarif-2.1.0.json";

    private final String reportUri;
    private final Map<String, RuleEntry> rules = new LinkedHashMap<String, RuleEntry>();
    private final List<Object> results = new ArrayList<Object>();

    /** @param reportName the report file as the user named it: results point into it */
    SarifReport(String reportName) {
        this.reportUri = uri(reportName);
    }

    void add(ReportSession session, Finding finding) {
        RuleEntry rule = rules.get(finding.id());
        if (rule == null) {
            rule = new RuleEntry(finding.id(), rules.size());
            rules.put(finding.id(), rule);
        }
        rule.seen(finding.severity());

        Map<String, Object> result = new LinkedHashMap<String, Object>();
        result.put("ruleId", finding.id());
        result.put("ruleIndex", rule.index);
        result.put("level", level(finding.severity()));
        result.put("message", text(finding.message() + " — fix: " + finding.fix()));
        Map<String, Object> region = new LinkedHashMap<String, Object>();
        region.put("startLine", session.lineNumber());
        Map<String, Object> physical = new LinkedHashMap<String, Object>();
        physical.put("artifactLocation", single("uri", reportUri));
        physical.put("region", region);
        Map<String, Object> logical = new LinkedHashMap<String, Object>();
        logical.put("name", session.server());
        logical.put("fullyQualifiedName", "smtp://" + session.server());
        logical.put("kind", "resource");
        Map<String, Object> location = new LinkedHashMap<String, Object>();
        location.put("physicalLocation", physical);
        location.put("logicalLocations", list(logical));
        result.put("locations", list(location));
        // the same problem on the same server is one alert across CI runs, wherever its line lands in the report
        result.put("partialFingerprints", single("smtpwatch/v1", finding.id() + "@" + session.server()));
        Map<String, Object> properties = new LinkedHashMap<String, Object>();
        properties.put("severity", finding.severity().id());
        properties.put("tlsMode", session.tlsMode());
        properties.put("outcome", session.outcome());
        result.put("properties", properties);
        results.add(result);
    }

    int resultCount() {
        return results.size();
    }

    void write(File target, String toolVersion) throws IOException {
        Map<String, Object> driver = new LinkedHashMap<String, Object>();
        driver.put("name", "smtpwatch");
        if (toolVersion != null) {
            driver.put("version", toolVersion);
        }
        List<Object> ruleList = new ArrayList<Object>();
        for (RuleEntry rule : rules.values()) {
            ruleList.add(rule.toSarif());
        }
        driver.put("rules", ruleList);
        Map<String, Object> run = new LinkedHashMap<String, Object>();
        run.put("tool", single("driver", driver));
        run.put("results", results);
        Map<String, Object> log = new LinkedHashMap<String, Object>();
        log.put("$schema", SCHEMA);
        log.put("version", "2.1.0");
        log.put("runs", list(run));
        try (Writer out = new OutputStreamWriter(new FileOutputStream(target), StandardCharsets.UTF_8)) {
            JsonWriter.write(log, out);
        }
    }

    /** SARIF has three levels that flag a problem; critical and high both block, medium warns, the rest inform. */
    static String level(Severity severity) {
        switch (severity) {
            case CRITICAL:
            case HIGH:
                return "error";
            case MEDIUM:
                return "warning";
            default:
                return "note";
        }
    }

    /**
     * GitHub's {@code security-severity} score, which its dashboards turn back into critical (9.0+), high
     * (7.0–8.9), medium (4.0–6.9) and low (0.1–3.9); null for info, which has no score there.
     */
    static String securitySeverity(Severity severity) {
        switch (severity) {
            case CRITICAL: return "9.5";
            case HIGH: return "8.0";
            case MEDIUM: return "5.5";
            case LOW: return "3.0";
            default: return null;
        }
    }

    private static String uri(String path) {
        File file = new File(path);
        if (file.isAbsolute()) {
            return file.toPath().toUri().toString();
        }
        try {
            // relative to where the check ran: SARIF consumers resolve it against the checkout
            return new URI(null, null, path.replace(File.separatorChar, '/'), null).toString();
        } catch (URISyntaxException e) {
            return path;
        }
    }

    private static Map<String, Object> text(String text) {
        return single("text", text);
    }

    private static Map<String, Object> single(String key, Object value) {
        Map<String, Object> map = new LinkedHashMap<String, Object>();
        map.put(key, value);
        return map;
    }

    private static List<Object> list(Object element) {
        return new ArrayList<Object>(Arrays.asList(element));
    }

    /** A finding id seen in the report, with the most severe severity it came at (cleartext-message varies). */
    private static final class RuleEntry {
        final String id;
        final int index;
        Severity highest = Severity.INFO;

        RuleEntry(String id, int index) {
            this.id = id;
            this.index = index;
        }

        void seen(Severity severity) {
            if (severity.compareTo(highest) > 0) {
                highest = severity;
            }
        }

        Map<String, Object> toSarif() {
            Map<String, Object> rule = new LinkedHashMap<String, Object>();
            rule.put("id", id);
            rule.put("name", id);
            rule.put("shortDescription", text("smtpwatch finding " + id));
            rule.put("help", text("What triggers " + id + ", an example and the fix: docs/findings.md#" + id
                + " in the smtpwatch documentation."));
            rule.put("defaultConfiguration", single("level", level(highest)));
            Map<String, Object> properties = new LinkedHashMap<String, Object>();
            properties.put("severity", highest.id());
            properties.put("tags", Arrays.<Object>asList("security", "smtp", "tls"));
            String score = securitySeverity(highest);
            if (score != null) {
                properties.put("security-severity", score);
            }
            rule.put("properties", properties);
            return rule;
        }
    }
}
