package dev.smtpwatch.it;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import dev.smtpwatch.it.otel.OtlpReceiver;
import dev.smtpwatch.it.otel.OtlpReceiver.ReceivedSpan;
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
import java.util.function.Predicate;
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
    private static final Pattern SENT = Pattern.compile("redeploy: sent (\\d+) of (\\d+)");
    private static final Pattern COLLECTED = Pattern.compile("redeploy: loaders collected (\\d+) of (\\d+)");
    private static final Pattern METASPACE = Pattern.compile(
            "redeploy: metaspace after round \\d+ (\\d+) bytes, after round \\d+ (\\d+) bytes, first deployment (\\d+) bytes");
    private static final Duration SPAN_WAIT = Duration.ofSeconds(20);

    static PostfixServer server;

    @TempDir
    Path dir;

    @BeforeAll
    static void startPostfix() {
        server = PostfixServer.shared();
    }

    /**
     * What is redeployed and with which agents. Fewer rounds where each one costs more (an OpenTelemetry SDK
     * started and flushed per deployment, or every class seen by the OpenTelemetry Java agent too); any leaked
     * loader still shows, as a missing collected loader and as Metaspace growth of a whole deployment.
     */
    enum Setup {
        /** The Angus Mail app, smtpwatch with otel=off. */
        OTEL_OFF(100),
        /** The same with otel=on: the embedded SDK's threads start (it exports to nowhere). */
        OTEL_ON(100),
        /**
         * A webapp with its own OpenTelemetry API and SDK, which it registers as global and closes when done: each
         * deployment's span goes through a bridge of its own into that deployment's SDK, and the bridge goes with
         * the webapp.
         */
        APP_OWN_OPENTELEMETRY(30),
        /** smtpwatch as the OpenTelemetry Java agent's extension, no -javaagent of its own. */
        OTEL_JAVAAGENT_EXTENSION(30);

        final int rounds;

        Setup(int rounds) {
            this.rounds = rounds;
        }
    }

    /** The host itself leaks nothing: without the agent every loader goes (ten rounds are enough to show it). */
    @ParameterizedTest(name = "{0}")
    @ValueSource(booleans = {false, true})
    void withoutTheAgentEveryLoaderIsCollected(boolean ownOpenTelemetry) {
        AgentRun app = ownOpenTelemetry ? otelApp("http://127.0.0.1:" + ItSupport.freePort()) : angusApp();
        AgentRun.Result run = hosted(app, 10).withoutAgent().run();

        assertEquals(0, run.exitCode(), run::describe);
        assertEquals(List.of("10", "10"), numbers(SENT, run), run::describe);
        assertEquals(List.of("10", "10"), numbers(COLLECTED, run), run::describe);
    }

    @ParameterizedTest(name = "{0}")
    @EnumSource(Setup.class)
    void everyLoaderIsCollectedAndMetaspaceStaysFlat(Setup setup) throws Exception {
        Path report = dir.resolve("report.jsonl");
        long mark = server.maillogMark();
        try (OtlpReceiver receiver = new OtlpReceiver()) {
            AgentRun.Result run = redeploy(setup, report, receiver).run();

            int rounds = setup.rounds;
            assertEquals(0, run.exitCode(), run::describe);
            assertEquals(List.of(String.valueOf(rounds), String.valueOf(rounds)), numbers(SENT, run), run::describe);
            assertEquals(List.of(String.valueOf(rounds), String.valueOf(rounds)), numbers(COLLECTED, run),
                    run::describe);
            List<String> metaspace = numbers(METASPACE, run);
            long afterTenth = Long.parseLong(metaspace.get(0));
            long afterLast = Long.parseLong(metaspace.get(1));
            // Metaspace after the last round may exceed that after round 10 by less than half of one deployment
            // (about 6 MB, printed as "first deployment"): one leaked loader shows, while the JVM's own growth (JIT,
            // late-loaded JDK and agent classes, 1.2 MB once on a loaded machine) does not fail the test.
            long deployment = Long.parseLong(metaspace.get(2));
            assertTrue(afterLast - afterTenth < deployment / 2, "Metaspace grew from " + afterTenth + " to "
                    + afterLast + " bytes over " + (rounds - 10) + " redeploys\n" + run.describe());

            assertPostfixQueuedWhatTheReportSays(mark, rounds, report);
            if (setup == Setup.APP_OWN_OPENTELEMETRY) {
                // every deployment's SMTP span reached that deployment's SDK, under its own checkout span
                List<ReceivedSpan> smtp = receiver.awaitSpans(smtpSpan(), rounds, SPAN_WAIT);
                assertEquals(rounds, smtp.size(), run::describe);
                Map<String, ReceivedSpan> checkouts = receiver.awaitSpans(checkoutSpan(), rounds, SPAN_WAIT).stream()
                        .collect(Collectors.toMap(ReceivedSpan::spanId, Function.identity()));
                for (ReceivedSpan span : smtp) {
                    ReceivedSpan parent = checkouts.get(span.parentSpanId());
                    assertTrue(parent != null && parent.traceId().equals(span.traceId()),
                            () -> "SMTP span without its deployment's checkout span as parent: " + span.span());
                }
            }
            System.out.println("redeploy " + setup + ": " + String.join(" / ", run.stdoutLines().stream()
                    .filter(l -> l.startsWith("redeploy:")).collect(Collectors.toList())));
        }
    }

    /**
     * Two webapps in one JVM, each with its own OpenTelemetry API, SDK and global, exporting to a collector of its
     * own: each webapp's SMTP span arrives in its own SDK, in the trace of its own checkout span.
     */
    @Test
    void twoWebappsEachWithItsOwnOpenTelemetryGetTheirOwnSpans() throws Exception {
        Path report = dir.resolve("report.jsonl");
        long mark = server.maillogMark();
        try (OtlpReceiver first = new OtlpReceiver(); OtlpReceiver second = new OtlpReceiver()) {
            AgentRun.Result run = hosted(otelApp(null), 1, first.endpoint(), second.endpoint())
                    .agentArgs("report=" + report + ",debug=on").run();

            assertEquals(0, run.exitCode(), run::describe);
            assertEquals(List.of("2", "2"), numbers(SENT, run), run::describe);
            assertEquals(List.of("2", "2"), numbers(COLLECTED, run), run::describe);
            assertPostfixQueuedWhatTheReportSays(mark, 2, report);
            String firstTrace = assertOneSmtpSpanUnderTheCheckout(first, run);
            String secondTrace = assertOneSmtpSpanUnderTheCheckout(second, run);
            assertNotEquals(firstTrace, secondTrace);
            assertEquals(2, run.stderrLines().stream()
                    .filter(l -> l.contains("spans go through the app's OpenTelemetry")).count(),
                    () -> "one bridge per webapp\n" + run.describe());
        }
    }

    /** @return the trace id */
    private static String assertOneSmtpSpanUnderTheCheckout(OtlpReceiver receiver, AgentRun.Result run)
            throws InterruptedException {
        ReceivedSpan checkout = receiver.awaitSpans(checkoutSpan(), 1, SPAN_WAIT).get(0);
        ReceivedSpan smtp = receiver.awaitSpans(smtpSpan(), 1, SPAN_WAIT).get(0);
        // the other webapp's span, had it come here, would have arrived with this one: both exported at once
        assertEquals(1, receiver.spans().stream().filter(smtpSpan()).count(), run::describe);
        assertEquals(1, receiver.spans().stream().filter(checkoutSpan()).count(), run::describe);
        assertEquals(checkout.traceId(), smtp.traceId(), run::describe);
        assertEquals(checkout.spanId(), smtp.parentSpanId(), run::describe);
        assertEquals("otel-app", smtp.resource().get("service.name"), "the webapp's own SDK");
        return smtp.traceId();
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

    private static AgentRun redeploy(Setup setup, Path report, OtlpReceiver receiver) {
        switch (setup) {
            case OTEL_OFF:
            case OTEL_ON:
                return withoutExporters(hosted(angusApp(), setup.rounds)
                        .agentArgs("report=" + report + ",otel=" + (setup == Setup.OTEL_ON ? "on" : "off")));
            case APP_OWN_OPENTELEMETRY:
                return hosted(otelApp(receiver.endpoint()), setup.rounds).agentArgs("report=" + report);
            case OTEL_JAVAAGENT_EXTENSION:
                return withoutExporters(hosted(angusApp(), setup.rounds).withoutAgent()
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
     * sample-apps/otel-app in its "sdk" mode: its own SDK, set as global, exporting OTLP/HTTP to {@code endpoint}
     * (null: to the endpoint each webapp is given as its argument).
     */
    private static AgentRun otelApp(String endpoint) {
        AgentRun run = ItSupport.send(AgentRun.ofJar(ItSupport.builtJar("smtpwatch.it.otelApp",
                "../sample-apps/otel-app/target/app.jar")), server.port(Listener.NOTLS), "")
                .property("otelapp.mode", "sdk")
                // long enough for smtpwatch's span to reach the webapp's SDK before the webapp closes it
                .property("otelapp.lingerMs", 300);
        return endpoint == null ? run : run.property("otelapp.endpoint", endpoint);
    }

    private static AgentRun hosted(AgentRun app, int rounds, String... webappArgs) {
        List<String> args = new ArrayList<>(List.of(String.valueOf(rounds)));
        args.addAll(List.of(webappArgs));
        return app.property("mail.smtp.host", PostfixServer.HOST)
                .hostedBy(RedeployHost.class, args.toArray(new String[0]))
                .timeout(Duration.ofMinutes(3));
    }

    private static Predicate<ReceivedSpan> smtpSpan() {
        return s -> "smtpwatch".equals(s.scope()) && s.name().startsWith("SMTP ");
    }

    private static Predicate<ReceivedSpan> checkoutSpan() {
        return s -> s.name().equals("checkout");
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
