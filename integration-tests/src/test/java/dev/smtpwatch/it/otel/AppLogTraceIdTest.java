package dev.smtpwatch.it.otel;

import static dev.smtpwatch.it.otel.OtelSupport.mailTo;
import static dev.smtpwatch.it.otel.OtelSupport.smtpSpan;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.smtpwatch.testserver.ScriptedSmtpServer;
import java.time.Duration;
import java.util.List;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * {@code log=app} in an app with its own OpenTelemetry SDK: the finding line carries the ids of the SMTP span, which
 * is a child of the app's {@code checkout} span, so the log line and the trace meet. This app has no logging
 * library: java.util.logging, which has no MDC, gets the ids at the end of the line.
 */
class AppLogTraceIdTest {
    private static final Duration WAIT = Duration.ofSeconds(20);
    private static final Pattern IDS = Pattern.compile("^WARNING: \\[[a-z-]+] .* trace_id=(\\p{XDigit}{32}) "
        + "span_id=(\\p{XDigit}{16})$");
    private OtlpReceiver receiver;
    private ScriptedSmtpServer server;

    @BeforeEach
    void start() throws Exception {
        receiver = new OtlpReceiver();
        server = ScriptedSmtpServer.builder().start();
    }

    @AfterEach
    void stop() throws Exception {
        server.close();
        receiver.close();
    }

    @Test
    void theFindingLineCarriesTheIdsOfTheSmtpSpanInTheAppsTrace() throws Exception {
        OtelRun.Result run = mailTo(OtelRun.otelApp(), server)
                .agentArgs("log=app")
                .property("otelapp.mode", "sdk")
                .property("otelapp.endpoint", receiver.endpoint())
                .run();
        assertEquals(0, run.exitCode(), run::describe);

        List<String> lines = run.stderr().lines().filter(l -> l.startsWith("WARNING: [")).toList();
        assertFalse(lines.isEmpty(), run::describe);
        // java.util.logging's console format: the date and the source (logger smtpwatch), then the level and text
        List<String> stderr = run.stderr().lines().toList();
        assertTrue(stderr.get(stderr.indexOf(lines.get(0)) - 1).endsWith(" smtpwatch"), run::describe);
        assertTrue(run.stderrLines("WARN smtpwatch [").isEmpty(), run::describe);
        Matcher ids = IDS.matcher(lines.get(0));
        assertTrue(ids.matches(), lines.get(0));
        List<OtlpReceiver.ReceivedSpan> smtp = receiver.awaitSpans(smtpSpan(), 1, WAIT);
        assertEquals(1, smtp.size(), run::describe);
        assertEquals(run.printed("trace"), ids.group(1), "the app's trace");
        assertEquals(smtp.get(0).traceId(), ids.group(1));
        assertEquals(smtp.get(0).spanId(), ids.group(2), "the SMTP span");
    }
}
