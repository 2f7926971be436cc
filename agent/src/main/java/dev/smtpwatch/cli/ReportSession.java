package dev.smtpwatch.cli;

import dev.smtpwatch.rules.Finding;
import dev.smtpwatch.rules.Severity;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.Map;

/**
 * The parts of one report line ({@code smtpwatch.session/1}) that the summary and the check need. Only those
 * fields are required here, so a report from a later agent with more fields still reads.
 */
final class ReportSession {
    private static final String SCHEMA_PREFIX = "smtpwatch.session/";

    private final int lineNumber;
    private final String serverAddress;
    private final long serverPort;
    private final String tlsMode;
    private final String outcome;
    private final List<Finding> findings;

    private ReportSession(int lineNumber, String serverAddress, long serverPort, String tlsMode, String outcome,
            List<Finding> findings) {
        this.lineNumber = lineNumber;
        this.serverAddress = serverAddress;
        this.serverPort = serverPort;
        this.tlsMode = tlsMode;
        this.outcome = outcome;
        this.findings = findings;
    }

    /** @throws IllegalArgumentException naming the first field that is missing or of the wrong type */
    static ReportSession of(Object json, int lineNumber) {
        if (!(json instanceof Map)) {
            throw new IllegalArgumentException("not a JSON object");
        }
        Map<?, ?> line = (Map<?, ?>) json;
        Object schema = line.get("schema");
        if (!(schema instanceof String) || !((String) schema).startsWith(SCHEMA_PREFIX)) {
            throw new IllegalArgumentException("not a smtpwatch report line (schema is "
                + (schema instanceof String ? "'" + schema + "'" : "missing") + ", expected smtpwatch.session/1)");
        }
        Map<?, ?> server = object(line, "server", "server");
        Map<?, ?> tls = object(line, "tls", "tls");
        List<Finding> findings = new ArrayList<Finding>();
        for (Object element : array(line, "findings")) {
            if (!(element instanceof Map)) {
                throw new IllegalArgumentException("an element of findings is not an object");
            }
            findings.add(finding((Map<?, ?>) element));
        }
        return new ReportSession(lineNumber, text(server, "address", "server.address"),
            number(server, "port", "server.port"), text(tls, "mode", "tls.mode"), text(line, "outcome", "outcome"),
            Collections.unmodifiableList(findings));
    }

    /** 1-based line of the report file, for pointing a reviewer at the session. */
    int lineNumber() {
        return lineNumber;
    }

    String serverAddress() {
        return serverAddress;
    }

    long serverPort() {
        return serverPort;
    }

    /** {@code host:port}, as the findings' messages name the server. */
    String server() {
        return serverAddress + ":" + serverPort;
    }

    String tlsMode() {
        return tlsMode;
    }

    /** {@code sent}, {@code failed} or {@code no-mail}. */
    String outcome() {
        return outcome;
    }

    List<Finding> findings() {
        return findings;
    }

    private static Map<?, ?> object(Map<?, ?> parent, String key, String path) {
        Object value = parent.get(key);
        if (!(value instanceof Map)) {
            throw new IllegalArgumentException(describe(value, path, "an object"));
        }
        return (Map<?, ?>) value;
    }

    private static List<?> array(Map<?, ?> parent, String key) {
        Object value = parent.get(key);
        if (!(value instanceof List)) {
            throw new IllegalArgumentException(describe(value, key, "an array"));
        }
        return (List<?>) value;
    }

    private static String text(Map<?, ?> parent, String key, String path) {
        Object value = parent.get(key);
        if (!(value instanceof String)) {
            throw new IllegalArgumentException(describe(value, path, "a string"));
        }
        return (String) value;
    }

    private static long number(Map<?, ?> parent, String key, String path) {
        Object value = parent.get(key);
        if (!(value instanceof Long)) {
            throw new IllegalArgumentException(describe(value, path, "an integer"));
        }
        return (Long) value;
    }

    private static String describe(Object value, String path, String expected) {
        return value == null ? "no " + path : path + " is not " + expected;
    }

    /** One element of a line's {@code findings}, as the rule that raised it made it. */
    private static Finding finding(Map<?, ?> finding) {
        String id = text(finding, "id", "finding id");
        Severity severity;
        try {
            severity = Severity.of(text(finding, "severity", "severity of finding " + id));
        } catch (IllegalArgumentException unknown) {
            throw new IllegalArgumentException("finding " + id + ": " + unknown.getMessage());
        }
        Object detail = finding.get("detail");
        return new Finding(id, severity, text(finding, "message", "message of finding " + id),
            text(finding, "fix", "fix of finding " + id), detail instanceof String ? (String) detail : null);
    }
}
