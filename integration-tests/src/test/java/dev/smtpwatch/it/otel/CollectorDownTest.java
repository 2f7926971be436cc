package dev.smtpwatch.it.otel;

import static dev.smtpwatch.it.otel.OtelSupport.mailTo;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.smtpwatch.testserver.ScriptedSmtpServer;
import java.io.IOException;
import java.net.InetSocketAddress;
import java.net.Socket;
import java.util.Arrays;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Assumptions;
import org.junit.jupiter.api.Test;

/**
 * Nothing listens where spans should go: every mail is still sent, one WARN says so, the exit code is the app's,
 * and no send waits for the exporter (the only OpenTelemetry work on the sending thread is capturing the caller's
 * context and one queue offer). The send times with otel on and off are printed for the record; comparing them
 * closely is a benchmark's job, not a test's: here only a send held up by the exporter (its connect timeout is
 * seconds) fails the test.
 */
class CollectorDownTest {
    private static final int WARMUP = 10;
    private static final int SENDS = 30;

    @Test
    void mailIsSentWithoutWaitingForTheCollectorAndOneWarningIsPrinted() throws Exception {
        try (ScriptedSmtpServer server = ScriptedSmtpServer.builder().start()) {
            String nowhere = "http://127.0.0.1:" + OtelSupport.freePort();
            // the app has opentelemetry-api on its class path but never touches it: smtpwatch's embedded SDK
            OtelRun.Result down = run(server, nowhere, "debug=off");
            OtelRun.Result off = run(server, nowhere, "otel=off");
            OtelRun.Result down2 = run(server, nowhere, "debug=off");
            OtelRun.Result off2 = run(server, nowhere, "otel=off");
            assertEquals(4 * (WARMUP + SENDS), server.messagesReceived(), "every mail was sent");
            for (OtelRun.Result r : List.of(down, off, down2, off2)) {
                assertEquals(0, r.exitCode(), r::describe);
            }

            for (OtelRun.Result r : List.of(down, down2)) {
                List<String> warnings = r.stderrLines("WARN smtpwatch ").stream()
                        .filter(l -> !l.startsWith("WARN smtpwatch [")).toList();
                assertEquals(1, warnings.size(), r::describe);
                assertTrue(warnings.get(0).startsWith("WARN smtpwatch could not export spans to " + nowhere
                        + "/v1/traces ("), r::describe);
            }
            assertEquals(List.of(), off.stderrLines("WARN smtpwatch could not"), off::describe);

            long[] on = micros(down, down2);
            long[] none = micros(off, off2);
            long medianOn = on[on.length / 2];
            long medianOff = none[none.length / 2];
            System.out.printf("collector down: median send %d us (otel on) vs %d us (otel=off); "
                            + "wall %d/%d ms vs %d/%d ms; sends on=%s off=%s%n", medianOn, medianOff,
                    down.wall().toMillis(), down2.wall().toMillis(), off.wall().toMillis(), off2.wall().toMillis(),
                    Arrays.toString(on), Arrays.toString(none));
            long slowest = on[on.length - 1];
            assertTrue(slowest < 2_000_000, "a send waited for the unreachable collector: " + slowest + " us");
            // The exit is not held up by export retries (the agent bounds its flush at 5 s).
            assertTrue(down.wall().toMillis() < off.wall().toMillis() + 5000,
                    () -> "exit delayed: " + down.wall() + " vs " + off.wall());
        }
    }

    /**
     * While the collector refuses connections the sessions' spans are not built (they would be dropped), and
     * after a back-off of a second the next session's span is the look at it: a collector started meanwhile gets
     * the spans of the sends after it came up.
     */
    @Test
    void aCollectorThatComesUpLaterGetsTheSpansOfTheSendsAfterIt() throws Exception {
        try (ScriptedSmtpServer server = ScriptedSmtpServer.builder().start()) {
            int port = OtelSupport.freePort();
            int warmup = 3;
            int sends = 5;
            CompletableFuture<OtlpReceiver> collector = CompletableFuture.supplyAsync(() -> {
                try {
                    // up once the warm-up's mails are sent and their spans refused, during the app's pause
                    long deadline = System.nanoTime() + 60_000_000_000L;
                    while (server.messagesReceived() < warmup && System.nanoTime() < deadline) {
                        Thread.sleep(20);
                    }
                    Thread.sleep(300);
                    return new OtlpReceiver(port);
                } catch (Exception e) {
                    throw new IllegalStateException(e);
                }
            });
            OtelRun.Result run = mailTo(OtelRun.otelApp(), server)
                    .property("otelapp.mode", "none")
                    .property("otelapp.warmupSends", warmup)
                    .property("otelapp.pauseMs", 3000)
                    .property("otelapp.sends", sends)
                    .env("OTEL_EXPORTER_OTLP_ENDPOINT", "http://127.0.0.1:" + port)
                    .env("OTEL_BSP_SCHEDULE_DELAY", "50")
                    .run();
            try (OtlpReceiver receiver = collector.get(60, TimeUnit.SECONDS)) {
                assertEquals(0, run.exitCode(), run::describe);
                assertEquals(warmup + sends, server.messagesReceived(), "every mail was sent");
                List<OtlpReceiver.ReceivedSpan> spans = receiver.awaitSpans(
                        s -> s.name().startsWith("SMTP "), sends, Duration.ofSeconds(10));
                assertTrue(spans.size() >= sends, () -> "the sends after the collector came up: " + spans
                        + "\n" + run.describe());
                List<String> warnings = run.stderrLines("WARN smtpwatch ").stream()
                        .filter(l -> !l.startsWith("WARN smtpwatch [")).toList();
                assertEquals(1, warnings.size(), run::describe);
            }
        }
    }

    /**
     * The default configuration on a machine without a collector: nothing names an endpoint and nothing listens
     * on localhost:4318, so the embedded SDK is never started (a short-lived app would pay its start and its exit
     * flush on every run); the same one WARN says where spans would have gone.
     */
    @Test
    void withNoEndpointSetAndNothingOnTheDefaultPortTheSdkIsNotStarted() throws Exception {
        Assumptions.assumeTrue(nothingListensOn(4318), "something listens on localhost:4318 on this machine");
        try (ScriptedSmtpServer server = ScriptedSmtpServer.builder().start()) {
            OtelRun.Result run = mailTo(OtelRun.plainApp(), server).run();
            assertEquals(0, run.exitCode(), run::describe);
            assertEquals(1, server.messagesReceived());
            List<String> warnings = run.stderrLines("WARN smtpwatch ").stream()
                    .filter(l -> !l.startsWith("WARN smtpwatch [")).toList();
            assertEquals(1, warnings.size(), run::describe);
            assertTrue(warnings.get(0).startsWith("WARN smtpwatch could not export spans to "
                    + "http://localhost:4318/v1/traces (ConnectException"), run::describe);
            assertTrue(run.stderr().contains("the SDK is not started"), run::describe);
            assertFalse(run.stderr().contains("OpenTelemetry initialised"), run::describe);
        }
    }

    private static boolean nothingListensOn(int port) {
        try (Socket socket = new Socket()) {
            socket.connect(new InetSocketAddress("localhost", port), 200);
            return false;
        } catch (IOException refused) {
            return true;
        }
    }

    private static OtelRun.Result run(ScriptedSmtpServer server, String endpoint, String agentArgs) {
        return mailTo(OtelRun.otelApp(), server)
                .agentArgs(agentArgs)
                .property("otelapp.mode", "none")
                .property("otelapp.warmupSends", WARMUP)
                .property("otelapp.pauseMs", 1500)
                .property("otelapp.sends", SENDS)
                .env("OTEL_EXPORTER_OTLP_ENDPOINT", endpoint)
                .env("OTEL_BSP_SCHEDULE_DELAY", "50")
                .run();
    }

    /** The measured send times (after warm-up and a pause, while exports fail in the background), sorted. */
    private static long[] micros(OtelRun.Result... runs) {
        return Arrays.stream(runs)
                .flatMapToLong(r -> Arrays.stream(r.printed("sendMicros").split(",")).mapToLong(Long::parseLong))
                .sorted().toArray();
    }
}
