package dev.smtpwatch.it.otel;

import static dev.smtpwatch.it.otel.OtelSupport.mailTo;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.smtpwatch.testserver.ScriptedSmtpServer;
import java.util.Arrays;
import java.util.List;
import org.junit.jupiter.api.Test;

/**
 * Nothing listens where spans should go: every mail is still sent, one WARN says so, the exit code is the app's,
 * and a send takes as long as with otel=off (the only OpenTelemetry work on the sending thread is capturing the
 * caller's context and one queue offer). Measured after warm-up sends and a pause, so that the comparison is of
 * the send itself, not of the embedded SDK's one-off start-up competing for the CPU.
 */
class CollectorDownTest {
    private static final int WARMUP = 10;
    private static final int SENDS = 30;

    @Test
    void mailIsSentAsFastAsWithOtelOffAndOneWarningIsPrinted() throws Exception {
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
            // Within noise: a loopback send takes 3-6 ms here and varies by ~2x between runs on a loaded machine;
            // a send blocked by the exporter would take the connect timeout or the retry back-off (seconds).
            assertTrue(medianOn <= medianOff * 2 + 2000,
                    "median send with the collector down " + medianOn + " us vs otel=off " + medianOff + " us");
            // The exit is not held up by export retries (bounded at 5 s in any case).
            assertTrue(down.wall().toMillis() < off.wall().toMillis() + 3000,
                    () -> "exit delayed: " + down.wall() + " vs " + off.wall());
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
