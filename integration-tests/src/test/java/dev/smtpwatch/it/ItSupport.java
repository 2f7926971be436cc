package dev.smtpwatch.it;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assertions.fail;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.smtpwatch.testserver.ScriptedSmtpServer;
import dev.smtpwatch.testserver.SessionTranscript;
import dev.smtpwatch.testserver.TestPki;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.ServerSocket;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.Paths;
import java.time.Duration;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.ArrayList;
import java.util.Base64;
import java.util.Iterator;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;
import java.util.regex.Pattern;
import java.nio.charset.StandardCharsets;

/** What the integration tests share: the PKI, the standard sample-app run, and the assertions every line gets. */
public final class ItSupport {
    static final String FROM = "sender@example.com";
    static final String TO = "recipient@example.org";
    static final String MASKED_MAIL_ARG = "FROM:<s***@example.com>";
    static final String MASKED_RCPT_ARG = "TO:<r***@example.org>";
    public static final String USER = "canary-user";
    /** A password distinctive enough that finding it anywhere in the output means it leaked. */
    public static final String CANARY_PASSWORD = Canaries.PASSWORD;
    /** The verbs of a session with STARTTLS and AUTH, as every client sends them to Postfix's submission port. */
    public static final List<String> STARTTLS_AUTH = List.of("EHLO", "STARTTLS", "EHLO", "AUTH", "MAIL", "RCPT",
        "DATA", "QUIT");
    static final String SCHEMA = "smtpwatch.session/1";
    /** What the JVM itself prints when an agent appends to the bootstrap class path while class data sharing is on. */
    public static final String CDS_NOTICE = "OpenJDK 64-Bit Server VM warning: Sharing is only supported for boot "
            + "loader classes because bootstrap classpath has been appended";
    public static final Duration SERVER_WAIT = Duration.ofSeconds(10);
    /**
     * The three timeouts (ms) of every standard run, as a well-configured app sets them: without them every session
     * has {@code timeouts-unset}, which only the tests about it want.
     */
    public static final Map<String, String> TIMEOUTS = Map.of("mail.smtp.connectiontimeout", "10000",
            "mail.smtp.timeout", "10000", "mail.smtp.writetimeout", "10000");

    private static final Pattern TIME = Pattern.compile("\\d{4}-\\d{2}-\\d{2}T\\d{2}:\\d{2}:\\d{2}\\.\\d{3}Z");
    private static final Set<String> SEVERITIES = Set.of("critical", "high", "medium", "low", "info");
    /** What the agent may print besides the app's own lines: its log lines, nothing else (no JVM warnings). */
    private static final Pattern ALLOWED_STDERR =
            Pattern.compile("^((WARN|INFO|DEBUG) smtpwatch .*|sample app: sending failed: .*)$");

    private ItSupport() {
    }

    public static Path workDir() {
        String configured = System.getProperty("smtpwatch.it.workDir");
        return configured != null && !configured.isBlank() ? Paths.get(configured) : Paths.get("target", "it");
    }

    /** One PKI for all runs, kept under target/ so later runs skip generating it. */
    public static TestPki pki() {
        try {
            return TestPki.create(workDir().resolve("pki"));
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    /**
     * A jar another module builds: the path the build passes in {@code property}, else {@code fallback} (relative
     * to this module, for a run from the IDE).
     */
    public static Path builtJar(String property, String fallback) {
        String configured = System.getProperty(property);
        Path jar = configured != null && !configured.isBlank() ? Paths.get(configured) : Paths.get(fallback);
        if (!Files.isRegularFile(jar)) {
            throw new IllegalStateException(jar.toAbsolutePath().normalize()
                    + " is missing; build first: mvn -q install -DskipTests");
        }
        return jar.toAbsolutePath().normalize();
    }

    /** A library an app may bring, copied by the build (maven-dependency-plugin, execution app-libraries). */
    public static Path appLibrary(String name) {
        Path jar = Paths.get(System.getProperty("smtpwatch.it.appLibs", "target/app-libs")).resolve(name);
        assertTrue(Files.isRegularFile(jar), () -> jar + " is missing (maven-dependency-plugin app-libraries)");
        return jar.toAbsolutePath();
    }

    /** A port on 127.0.0.1 where nothing listens (bound and released again). */
    public static int freePort() {
        try (ServerSocket socket = new ServerSocket()) {
            socket.bind(new InetSocketAddress(InetAddress.getByName("127.0.0.1"), 0));
            return socket.getLocalPort();
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    /** A run of {@code app} sending one message from {@link #FROM} to {@link #TO} via localhost:port. */
    public static AgentRun send(SampleApp app, int port, String agentArgs) {
        return send(AgentRun.of(app), port, agentArgs);
    }

    /** {@link #send(SampleApp, int, String)} for a run of another sample app's jar. */
    public static AgentRun send(AgentRun run, int port, String agentArgs) {
        TestPki pki = pki();
        return run
                .agentArgs(agentArgs)
                .property("mail.smtp.host", "localhost")
                .property("mail.smtp.port", port)
                .property("javax.net.ssl.trustStore", pki.trustStore())
                .property("javax.net.ssl.trustStorePassword", pki.trustStorePassword())
                .property("javax.net.ssl.trustStoreType", "PKCS12")
                .properties(TIMEOUTS)
                .property("sample.from", FROM)
                .property("sample.to", TO);
    }

    public static AgentRun send(SampleApp app, ScriptedSmtpServer server, String agentArgs) {
        return send(app, server.port(), agentArgs);
    }

    public static AgentRun withAuth(AgentRun run, String mechanism) {
        return run.property("mail.smtp.auth", "true")
                .property("mail.smtp.auth.mechanisms", mechanism)
                .property("sample.user", USER)
                .property("sample.password", CANARY_PASSWORD);
    }

    public static SessionTranscript onlyConnection(ScriptedSmtpServer server) throws InterruptedException {
        List<SessionTranscript> connections = server.awaitConnections(1, SERVER_WAIT);
        assertEquals(1, connections.size(), "connections the server saw: " + connections);
        return connections.get(0);
    }

    public static void assertSent(AgentRun.Result run, int messages) {
        assertEquals(0, run.exitCode(), run::describe);
        assertEquals(List.of("sample app: sent " + messages + " message(s)"), run.stdoutLines(), run::describe);
    }

    /** The exception class the app printed in {@code sample app: sending failed: <exception>}. */
    static String failureClass(AgentRun.Result run) {
        String exception = failure(run);
        int colon = exception.indexOf(':');
        return colon < 0 ? exception : exception.substring(0, colon);
    }

    /** The app exited 1 after printing {@code sample app: sending failed: <exception>}: the exception's text. */
    public static String failure(AgentRun.Result run) {
        assertEquals(1, run.exitCode(), run::describe);
        String prefix = "sample app: sending failed: ";
        for (String line : run.stderrLines()) {
            if (line.startsWith(prefix)) {
                return line.substring(prefix.length());
            }
        }
        throw new AssertionError("the app printed no failure line\n" + run.describe());
    }

    /**
     * The agent said nothing it should not: stderr holds only the agent's own log lines and the app's failure line
     * (no JVM warnings caused by the agent, no stack traces), and no suppressed advice error or failed
     * instrumentation was reported. Only meaningful for runs with {@code debug=on}, where those are printed.
     */
    static void assertNoAgentTrouble(AgentRun.Result run) {
        boolean appFailed = false;
        for (String line : run.stderrLines()) {
            appFailed |= line.startsWith("sample app: sending failed: ");
            // the app prints the exception's toString, whose nested exception goes on indented lines
            boolean appsExceptionText = appFailed && Character.isWhitespace(line.charAt(0));
            assertTrue(appsExceptionText || ALLOWED_STDERR.matcher(line).matches(),
                    () -> "unexpected stderr line: " + line + "\n" + run.describe());
            assertFalse(line.contains("advice error"), () -> "suppressed advice error\n" + run.describe());
            assertFalse(line.contains("could not instrument"), () -> "instrumentation failed\n" + run.describe());
            assertFalse(line.contains("could not start"),
                    () -> "the agent reported a start-up failure\n" + run.describe());
        }
    }

    /** Lines of stderr that are the agent's, minus the per-finding WARN lines. */
    static List<String> agentLinesExceptFindings(AgentRun.Result run, String level) {
        List<String> lines = new ArrayList<>();
        for (String line : run.stderrLines()) {
            if (line.startsWith(level + " smtpwatch ") && !line.startsWith(level + " smtpwatch [")) {
                lines.add(line);
            }
        }
        return lines;
    }

    /** The fields every line has, whatever happened: schema, time, duration, library, server, tls, outcome, … */
    public static void assertCommonFields(JsonNode line, SampleApp app, int port, AgentRun.Result run) {
        assertCommonFields(line, app, "localhost", port, run);
    }

    /** {@link #assertCommonFields(JsonNode, SampleApp, int, AgentRun.Result)} for a server named {@code host}. */
    public static void assertCommonFields(JsonNode line, SampleApp app, String host, int port, AgentRun.Result run) {
        assertEquals(SCHEMA, line.path("schema").asText(null), () -> "schema in " + line);
        String time = line.path("time").asText("");
        assertTrue(TIME.matcher(time).matches(), () -> "time is not UTC ISO-8601 with millis: " + line);
        Instant start = Instant.parse(time);
        assertFalse(start.isBefore(run.startedAt().truncatedTo(ChronoUnit.MILLIS)),
                () -> "session start " + start + " before the JVM was started at " + run.startedAt());
        assertFalse(start.isAfter(run.endedAt()), () -> "session start " + start + " after the JVM exited");
        assertTrue(line.path("durationMs").isIntegralNumber(), () -> "durationMs in " + line);
        long duration = line.path("durationMs").asLong();
        long wall = Duration.between(run.startedAt(), run.endedAt()).toMillis();
        assertTrue(duration >= 0 && duration <= wall, () -> "durationMs " + duration + " vs JVM wall time " + wall);

        assertEquals(app.libraryName(), line.at("/library/name").asText(null), () -> "library.name in " + line);
        assertEquals(app.libraryVersion(), line.at("/library/version").asText(null),
                () -> "library.version in " + line);
        assertEquals(app.transportClass(), line.at("/library/transport").asText(null),
                () -> "library.transport in " + line);
        assertEquals(host, line.at("/server/address").asText(null), () -> "server.address in " + line);
        assertTrue(line.at("/server/port").isInt(), () -> "server.port in " + line);
        assertEquals(port, line.at("/server/port").asInt(), () -> "server.port in " + line);

        assertTrue(line.path("tls").isObject(), () -> "tls in " + line);
        assertTrue(Set.of("implicit", "starttls", "none").contains(line.at("/tls/mode").asText()),
                () -> "tls.mode in " + line);
        assertTrue(line.at("/tls/established").isBoolean(), () -> "tls.established in " + line);
        assertTrue(line.path("commands").isArray(), () -> "commands in " + line);
        assertTrue(Set.of("sent", "failed", "no-mail").contains(line.path("outcome").asText()),
                () -> "outcome in " + line);
        assertEquals(line.path("outcome").asText().equals("failed"), line.has("error"),
                () -> "error must be there exactly when the outcome is failed: " + line);
        assertTrue(line.path("findings").isArray(), () -> "findings in " + line);
        for (JsonNode finding : line.path("findings")) {
            for (String field : List.of("id", "severity", "message", "fix")) {
                assertTrue(finding.path(field).isTextual() && !finding.path(field).asText().isBlank(),
                        () -> "finding without " + field + ": " + finding);
            }
            assertTrue(SEVERITIES.contains(finding.path("severity").asText()), () -> "severity of " + finding);
        }
    }

    /** The top-level field names of {@code line}, except {@code entry}, which the sample apps may or may not get. */
    static Set<String> fieldNames(JsonNode line) {
        Set<String> names = new TreeSet<>();
        for (Iterator<String> it = line.fieldNames(); it.hasNext(); ) {
            names.add(it.next());
        }
        names.remove("entry");
        return names;
    }

    static void assertFields(JsonNode line, String... expected) {
        assertEquals(new TreeSet<>(List.of(expected)), fieldNames(line), () -> "top-level fields of " + line);
    }

    /**
     * The commands as the server saw them: same verbs, TLS state and final replies, with the arguments the report
     * records (AUTH mechanism, MAIL/RCPT path, masked unless {@code masked} is false) and no others.
     */
    static ArrayNode expectedCommands(SessionTranscript transcript, boolean masked) {
        ArrayNode commands = JsonNodeFactory.instance.arrayNode();
        for (SessionTranscript.Command command : transcript.commands()) {
            ObjectNode expected = commands.addObject().put("verb", command.verb());
            switch (command.verb()) {
                case "AUTH":
                    expected.put("arg", transcript.authMechanism());
                    break;
                case "MAIL":
                    expected.put("arg", masked ? MASKED_MAIL_ARG : "FROM:<" + FROM + ">");
                    break;
                case "RCPT":
                    expected.put("arg", masked ? MASKED_RCPT_ARG : "TO:<" + TO + ">");
                    break;
                default:
                    break;
            }
            expected.put("tls", command.tls()).put("reply", command.reply());
        }
        return commands;
    }

    static void assertCommandsAsServerSaw(JsonNode line, SessionTranscript transcript, boolean masked) {
        assertEquals(expectedCommands(transcript, masked), line.path("commands"),
                () -> "commands in the report vs the server's transcript " + transcript);
    }

    public static List<String> field(JsonNode array, String name) {
        List<String> values = new ArrayList<>();
        for (JsonNode element : array) {
            values.add(element.path(name).asText());
        }
        return values;
    }

    public static List<String> findingIds(JsonNode line) {
        return field(line.path("findings"), "id");
    }

    static ArrayNode textArray(List<String> values) {
        ArrayNode array = JsonNodeFactory.instance.arrayNode();
        values.forEach(array::add);
        return array;
    }

    /** The password, and every encoding of it an AUTH exchange puts on the wire, appear nowhere. */
    public static void assertNoCredentials(AgentRun.Result run, Path report, String mechanism) {
        assertNoCredentials(run, report, mechanism, USER, CANARY_PASSWORD);
    }

    /** {@link #assertNoCredentials(AgentRun.Result, Path, String)} for another account (e.g. the Postfix one). */
    public static void assertNoCredentials(AgentRun.Result run, Path report, String mechanism, String user,
            String password) {
        List<String> forbidden = new ArrayList<>();
        forbidden.add(password);
        forbidden.add(base64(password));
        forbidden.add(base64("\0" + user + "\0" + password));
        forbidden.add(base64(user + "\0" + user + "\0" + password));
        String reportText = Report.text(report);
        for (String secret : forbidden) {
            for (String[] place : new String[][] {{"report", reportText}, {"stdout", run.stdout()},
                    {"stderr", run.stderr()}}) {
                if (place[1].contains(secret)) {
                    fail("the " + mechanism + " credentials (" + secret + ") leaked into the " + place[0] + ":\n"
                            + place[1]);
                }
            }
        }
    }

    /** Base64 without its padding, so that the padded and the unpadded form both match. */
    private static String base64(String text) {
        return Base64.getEncoder().withoutPadding().encodeToString(text.getBytes(StandardCharsets.UTF_8));
    }
}
