package dev.smtpwatch.it;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import dev.smtpwatch.it.postfix.PostfixServer;
import dev.smtpwatch.it.postfix.PostfixServer.Listener;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;
import java.util.function.Function;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Collectors;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;
import org.junit.jupiter.params.provider.ValueSource;

/**
 * A webapp deployed and undeployed many times in one JVM ({@link RedeployHost}), each deployment sending one
 * mail through Postfix with its own Angus Mail: with the agent attached every deployment's class loader is
 * collected and Metaspace stays flat, as without it. The same with a webapp that has its own OpenTelemetry API,
 * SDK and global, and with smtpwatch as the OpenTelemetry Java agent's extension; and two such webapps side by
 * side, each getting its own spans.
 */
@PostfixServer.Required
class RedeployTest {
    private static final int ROUNDS = 100;
    private static final Pattern SENT = Pattern.compile("redeploy: sent (\\d+) of (\\d+)");
    private static final Pattern COLLECTED = Pattern.compile("redeploy: loaders collected (\\d+) of (\\d+)");
    private static final Pattern METASPACE = Pattern.compile(
            "redeploy: metaspace after round \\d+ (\\d+) bytes, after round \\d+ (\\d+) bytes, first deployment (\\d+) bytes");
    private static final Pattern CLASSES = Pattern.compile(
            "redeploy: classes loaded after round \\d+ (\\d+), after round \\d+ (\\d+), first deployment (\\d+)");
    private static final Pattern EXPORTED = Pattern.compile(
            "otel-app: exported by=(\\S+) span=(\\S+) scope=(\\S+) trace=(\\S+) id=(\\S+) parent=(\\S+)");
    /** The name of the redeployed webapp with its own OpenTelemetry, on the spans its SDK exports. */
    private static final String WEBAPP = "webapp";

    static PostfixServer server;

    @TempDir
    Path dir;

    @BeforeAll
    static void startPostfix() {
        server = PostfixServer.shared();
    }

    /** What is redeployed and with which agents. */
    enum Setup {
        /** The Angus Mail app, smtpwatch with otel=off. */
        OTEL_OFF,
        /** The same with otel=on: the embedded SDK's threads start (it exports to nowhere). */
        OTEL_ON,
        /**
         * A webapp with its own OpenTelemetry API and SDK, which it registers as global and closes when done: each
         * deployment's span goes through a bridge of its own into that deployment's SDK, and the bridge goes with
         * the webapp.
         */
        APP_OWN_OPENTELEMETRY,
        /** smtpwatch as the OpenTelemetry Java agent's extension, no -javaagent of its own. */
        OTEL_JAVAAGENT_EXTENSION
    }

    /** The host itself leaks nothing: without the agent every loader goes (ten rounds are enough to show it). */
    @ParameterizedTest(name = "own OpenTelemetry {0}")
    @ValueSource(booleans = {false, true})
    void withoutTheAgentEveryLoaderIsCollected(boolean ownOpenTelemetry) {
        AgentRun.Result run = (ownOpenTelemetry ? hosted(otelApp(), 10, WEBAPP) : hosted(angusApp(), 10))
                .withoutAgent().run();

        assertEquals(0, run.exitCode(), run::describe);
        assertEquals(List.of("10", "10"), numbers(SENT, run), run::describe);
        assertEquals(List.of("10", "10"), numbers(COLLECTED, run), run::describe);
    }

    @ParameterizedTest(name = "{0}")
    @EnumSource(Setup.class)
    void everyLoaderIsCollectedAndMetaspaceStaysFlat(Setup setup) {
        Path report = dir.resolve("report.jsonl");
        long mark = server.maillogMark();
        AgentRun.Result run = redeploy(setup, report).run();

        assertEquals(0, run.exitCode(), run::describe);
        assertEquals(List.of(String.valueOf(ROUNDS), String.valueOf(ROUNDS)), numbers(SENT, run), run::describe);
        assertEquals(List.of(String.valueOf(ROUNDS), String.valueOf(ROUNDS)), numbers(COLLECTED, run),
                run::describe);
        // A deployment is about 1,000 classes; a leak of even one class per deployment adds 90 over the last 90
        // rounds, where the JVM's own late classes (the JDK's, the agent's) are a few dozen at most.
        List<String> classes = numbers(CLASSES, run);
        int classesAfterTenth = Integer.parseInt(classes.get(0));
        int classesAfterLast = Integer.parseInt(classes.get(1));
        assertTrue(classesAfterLast - classesAfterTenth < ROUNDS - 10, "classes loaded grew from "
                + classesAfterTenth + " to " + classesAfterLast + " over " + (ROUNDS - 10) + " redeploys\n"
                + run.describe());
        // Metaspace may grow by less than two deployments (printed as "first deployment", 2.5 to 5 MB): 90 leaked
        // deployments would add 90 of them. What stays below it is the JVM's own growth: the JIT's profiling data
        // of the JDK's and the agent's hot methods lives in Metaspace too (6.8 MB seen once on the CI machine, with
        // every loader collected); the class count above is the fine measure.
        List<String> metaspace = numbers(METASPACE, run);
        long afterTenth = Long.parseLong(metaspace.get(0));
        long afterLast = Long.parseLong(metaspace.get(1));
        long deployment = Long.parseLong(metaspace.get(2));
        assertTrue(afterLast - afterTenth < 2 * deployment, "Metaspace grew from " + afterTenth + " to "
                + afterLast + " bytes over " + (ROUNDS - 10) + " redeploys\n" + run.describe());

        assertPostfixQueuedWhatTheReportSays(mark, ROUNDS, report);
        if (setup == Setup.APP_OWN_OPENTELEMETRY) {
            assertEachSmtpSpanUnderItsCheckout(run, WEBAPP, ROUNDS);
        }
        System.out.println("redeploy " + setup + ": " + String.join(" / ", run.stdoutLines().stream()
                .filter(l -> l.startsWith("redeploy:")).collect(Collectors.toList())));
    }

    /**
     * Two webapps in one JVM, each with its own OpenTelemetry API, SDK and global: each webapp's SMTP span arrives
     * in its own SDK, in the trace of its own checkout span.
     */
    @Test
    void twoWebappsEachWithItsOwnOpenTelemetryGetTheirOwnSpans() {
        Path report = dir.resolve("report.jsonl");
        long mark = server.maillogMark();
        AgentRun.Result run = hosted(otelApp(), 1, "webapp-1", "webapp-2")
                .agentArgs("report=" + report + ",debug=on").run();

        assertEquals(0, run.exitCode(), run::describe);
        assertEquals(List.of("2", "2"), numbers(SENT, run), run::describe);
        assertEquals(List.of("2", "2"), numbers(COLLECTED, run), run::describe);
        assertPostfixQueuedWhatTheReportSays(mark, 2, report);
        Set<String> firstTraces = assertEachSmtpSpanUnderItsCheckout(run, "webapp-1", 1);
        Set<String> secondTraces = assertEachSmtpSpanUnderItsCheckout(run, "webapp-2", 1);
        assertNotEquals(firstTraces, secondTraces);
        assertEquals(2, run.stderrLines().stream()
                .filter(l -> l.contains("spans go through the app's OpenTelemetry")).count(),
                () -> "one bridge per webapp\n" + run.describe());
    }

    /** A span the webapp's own SDK exported (sample-apps/otel-app in mode "printing"). */
    private record Exported(String by, String name, String scope, String trace, String id, String parent) {
        boolean smtp() {
            return scope.equals("smtpwatch") && name.startsWith("SMTP_");
        }
    }

    /**
     * The webapp(s) named {@code by} exported {@code count} checkout spans and as many SMTP spans, each SMTP span
     * the child of one of those checkout spans, in its trace. (Another webapp's SMTP span there would be one too
     * many: the JVM has exited, every SDK was flushed.)
     *
     * @return the trace ids
     */
    private static Set<String> assertEachSmtpSpanUnderItsCheckout(AgentRun.Result run, String by, int count) {
        List<Exported> exported = new ArrayList<>();
        for (String line : run.stdoutLines()) {
            Matcher m = EXPORTED.matcher(line);
            if (m.matches() && m.group(1).equals(by)) {
                exported.add(new Exported(m.group(1), m.group(2), m.group(3), m.group(4), m.group(5), m.group(6)));
            }
        }
        Map<String, Exported> checkouts = exported.stream().filter(e -> e.name().equals("checkout"))
                .collect(Collectors.toMap(Exported::id, Function.identity()));
        List<Exported> smtp = exported.stream().filter(Exported::smtp).collect(Collectors.toList());
        assertEquals(count, checkouts.size(), run::describe);
        assertEquals(count, smtp.size(), run::describe);
        for (Exported span : smtp) {
            Exported parent = checkouts.get(span.parent());
            assertTrue(parent != null && parent.trace().equals(span.trace()),
                    () -> "SMTP span without its deployment's checkout span as parent: " + span + "\n"
                            + run.describe());
        }
        return smtp.stream().map(Exported::trace).collect(Collectors.toCollection(TreeSet::new));
    }

    /** The referee: Postfix queued every mail, and each deployment's session is in the report with its queue id. */
    private static void assertPostfixQueuedWhatTheReportSays(long mark, int mails, Path report) {
        Set<String> queued = server.awaitConnections(Listener.NOTLS, mark, mails, Duration.ofSeconds(30)).stream()
                .flatMap(c -> c.queueIds().stream()).collect(Collectors.toCollection(TreeSet::new));
        List<JsonNode> lines = Report.read(report);
        assertEquals(mails, lines.size());
        Set<String> reported = lines.stream().flatMap(l -> l.path("queueIds").valueStream()).map(JsonNode::asText)
                .collect(Collectors.toCollection(TreeSet::new));
        assertEquals(mails, queued.size());
        assertEquals(queued, reported);
    }

    private static AgentRun redeploy(Setup setup, Path report) {
        switch (setup) {
            case OTEL_OFF:
            case OTEL_ON:
                return withoutExporters(hosted(angusApp(), ROUNDS)
                        .agentArgs("report=" + report + ",otel=" + (setup == Setup.OTEL_ON ? "on" : "off")));
            case APP_OWN_OPENTELEMETRY:
                return hosted(otelApp(), ROUNDS, WEBAPP).agentArgs("report=" + report);
            case OTEL_JAVAAGENT_EXTENSION:
                return withoutExporters(hosted(angusApp(), ROUNDS).withoutAgent()
                        .jvmOption("-javaagent:" + ItSupport.builtJar("smtpwatch.it.otelJavaagent",
                                "target/otel/opentelemetry-javaagent.jar"))
                        .property("otel.javaagent.extensions", ItSupport.builtJar("smtpwatch.it.otelExtension",
                                "../agent/otel-extension/target/smtpwatch-otel-extension.jar"))
                        .property("otel.instrumentation.smtpwatch.report", report));
            default:
                throw new IllegalArgumentException(setup.toString());
        }
    }

    /** The SDK (the embedded one, or the Java agent's) exports to nowhere: what matters is that its threads start. */
    private static AgentRun withoutExporters(AgentRun run) {
        return run.property("otel.traces.exporter", "none").property("otel.metrics.exporter", "none")
                .property("otel.logs.exporter", "none");
    }

    private static AgentRun angusApp() {
        return ItSupport.send(SampleApp.ANGUS_MAIL, server.port(Listener.NOTLS), "");
    }

    /**
     * sample-apps/otel-app in its "printing" mode: its own SDK, set as global, printing each span it exports with
     * the name the webapp is given as its argument.
     */
    private static AgentRun otelApp() {
        return ItSupport.send(AgentRun.ofJar(ItSupport.builtJar("smtpwatch.it.otelApp",
                "../sample-apps/otel-app/target/app.jar")), server.port(Listener.NOTLS), "")
                .property("otelapp.mode", "printing")
                // long enough for smtpwatch's span to reach the webapp's SDK before the webapp closes it
                .property("otelapp.lingerMs", 300);
    }

    private static AgentRun hosted(AgentRun app, int rounds, String... webappArgs) {
        List<String> args = new ArrayList<>(List.of(String.valueOf(rounds)));
        args.addAll(List.of(webappArgs));
        return app.property("mail.smtp.host", PostfixServer.HOST)
                .hostedBy(RedeployHost.class, args.toArray(new String[0]))
                .timeout(Duration.ofMinutes(3));
    }

    private static List<String> numbers(Pattern pattern, AgentRun.Result run) {
        for (String line : run.stdoutLines()) {
            Matcher m = pattern.matcher(line);
            if (m.matches()) {
                List<String> groups = new ArrayList<>();
                for (int i = 1; i <= m.groupCount(); i++) {
                    groups.add(m.group(i));
                }
                return groups;
            }
        }
        throw new AssertionError("no line like " + pattern + "\n" + run.describe());
    }
}
