package dev.smtpwatch.cli;

import dev.smtpwatch.rules.Finding;
import dev.smtpwatch.rules.Severity;
import java.util.ArrayList;
import java.util.Collections;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * The parts of one report line ({@code smtpwatch.session/1}) that the CLI reads. Only {@code schema},
 * {@code server}, {@code tls.mode}, {@code outcome} and {@code findings} are required; every other field is read
 * when present and of the expected type and otherwise taken as absent, so lines of older and later agents (and
 * fields such as {@code tls.certificate}, {@code repeats} or {@code logins} that not every agent writes) all read.
 */
final class ReportSession {
    private static final String SCHEMA_PREFIX = "smtpwatch.session/";

    private final int lineNumber;
    private final String serverAddress;
    private final long serverPort;
    private final String tlsMode;
    private final String outcome;
    private final List<Finding> findings;
    private final Map<?, ?> line;
    private List<Command> commands;

    private ReportSession(int lineNumber, String serverAddress, long serverPort, String tlsMode, String outcome,
            List<Finding> findings, Map<?, ?> line) {
        this.lineNumber = lineNumber;
        this.serverAddress = serverAddress;
        this.serverPort = serverPort;
        this.tlsMode = tlsMode;
        this.outcome = outcome;
        this.findings = findings;
        this.line = line;
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
            Collections.unmodifiableList(findings), line);
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

    /** Start of the session ({@code time}, UTC ISO-8601, so that text order is time order), or null. */
    String time() {
        return optionalText(line, "time");
    }

    /** How many sessions this line stands for: {@code repeats} of a folded run of identical failures, else 1. */
    long repeats() {
        long repeats = optionalNumber(line, "repeats", 1);
        return repeats > 0 ? repeats : 1;
    }

    /** {@code name version} of the mail library ({@code name} alone when the version is unknown), or null. */
    String library() {
        Map<?, ?> library = optionalObject(line, "library");
        String name = optionalText(library, "name");
        String version = optionalText(library, "version");
        return name == null ? null : version == null ? name : name + " " + version;
    }

    /** {@code tls.established}; false when absent. */
    boolean tlsEstablished() {
        Map<?, ?> tls = optionalObject(line, "tls");
        return tls != null && Boolean.TRUE.equals(tls.get("established"));
    }

    /** The exception class of a failed session ({@code error.type}), or null; never its message. */
    String errorType() {
        return optionalText(optionalObject(line, "error"), "type");
    }

    String tlsProtocol() {
        return optionalText(optionalObject(line, "tls"), "protocol");
    }

    String tlsCipher() {
        return optionalText(optionalObject(line, "tls"), "cipher");
    }

    /** {@code tls.certificate.subject}, or null when the line records no certificate. */
    String certificateSubject() {
        return optionalText(optionalObject(optionalObject(line, "tls"), "certificate"), "subject");
    }

    /** {@code tls.certificate.notAfter} (UTC ISO-8601), or null. */
    String certificateNotAfter() {
        return optionalText(optionalObject(optionalObject(line, "tls"), "certificate"), "notAfter");
    }

    long messages() {
        return optionalNumber(line, "messages", 0);
    }

    /** Reply code of the greeting; -1 when none came or the line does not say. */
    long greeting() {
        return optionalNumber(line, "greeting", -1);
    }

    /** AUTH exchanges: {@code logins} when the line has it, else the AUTH commands recorded. */
    long logins() {
        long logins = optionalNumber(line, "logins", -1);
        if (logins >= 0) {
            return logins;
        }
        long auth = 0;
        for (Command command : commands()) {
            auth += command.isAuth() ? 1 : 0;
        }
        return auth;
    }

    /** Whether an AUTH command (and so the credentials) went over the connection without TLS. */
    boolean authInClear() {
        for (Command command : commands()) {
            if (command.isAuth() && !command.tls) {
                return true;
            }
        }
        return false;
    }

    /** Ids of the findings the agent enforced (blocked the command that would have caused them). */
    Set<String> enforcedFindings() {
        Set<String> enforced = new LinkedHashSet<String>();
        for (Object element : array(line, "findings")) {
            Map<?, ?> finding = (Map<?, ?>) element;
            if (Boolean.TRUE.equals(finding.get("enforced"))) {
                enforced.add((String) finding.get("id"));
            }
        }
        return enforced;
    }

    /** The recorded commands in order; elements that are not command objects are left out. */
    List<Command> commands() {
        if (commands == null) {
            commands = readCommands(line.get("commands"));
        }
        return commands;
    }

    private static List<Command> readCommands(Object value) {
        if (!(value instanceof List)) {
            return Collections.emptyList();
        }
        List<Command> commands = new ArrayList<Command>();
        for (Object element : (List<?>) value) {
            if (element instanceof Map && optionalText((Map<?, ?>) element, "verb") != null) {
                Map<?, ?> command = (Map<?, ?>) element;
                commands.add(new Command(optionalText(command, "verb"), optionalText(command, "arg"),
                    Boolean.TRUE.equals(command.get("tls")), optionalNumber(command, "reply", -1),
                    Boolean.TRUE.equals(command.get("blocked"))));
            }
        }
        return commands;
    }

    /** One element of {@code commands}. */
    static final class Command {
        final String verb;
        /** As recorded: the AUTH mechanism, or a MAIL/RCPT path (masked unless the agent ran with mask=off). */
        final String arg;
        final boolean tls;
        final long reply;
        /** The agent's {@code enforce} stopped it before it left. */
        final boolean blocked;

        Command(String verb, String arg, boolean tls, long reply, boolean blocked) {
            this.verb = verb;
            this.arg = arg;
            this.tls = tls;
            this.reply = reply;
            this.blocked = blocked;
        }

        boolean isAuth() {
            return "AUTH".equalsIgnoreCase(verb);
        }
    }

    private static Map<?, ?> optionalObject(Map<?, ?> parent, String key) {
        Object value = parent == null ? null : parent.get(key);
        return value instanceof Map ? (Map<?, ?>) value : null;
    }

    private static String optionalText(Map<?, ?> parent, String key) {
        Object value = parent == null ? null : parent.get(key);
        return value instanceof String ? (String) value : null;
    }

    private static long optionalNumber(Map<?, ?> parent, String key, long absent) {
        Object value = parent == null ? null : parent.get(key);
        return value instanceof Long ? (Long) value : absent;
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
