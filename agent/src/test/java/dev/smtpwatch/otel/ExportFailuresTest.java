package dev.smtpwatch.otel;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.smtpwatch.agent.AgentLog;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.PrintStream;
import java.net.ConnectException;
import java.nio.charset.StandardCharsets;
import org.junit.jupiter.api.Test;

class ExportFailuresTest {
    private final ByteArrayOutputStream stderr = new ByteArrayOutputStream();
    private final ExportFailures failures = new ExportFailures(AgentLog.create(false, new PrintStream(stderr)));

    private static IOException refused() {
        return new IOException("Failed to export spans", new ConnectException("Connection refused"));
    }

    @Test
    void aRefusedExportStopsSpansForOneSecondThenForTwiceAsLongAfterEachRefusalUpToThirtySeconds() {
        long before = System.currentTimeMillis();
        failures.spansFailed(5, refused());
        long after = System.currentTimeMillis();
        assertTrue(failures.refusing(before + ExportFailures.FIRST_BACKOFF_MILLIS - 1));
        assertFalse(failures.refusing(after + ExportFailures.FIRST_BACKOFF_MILLIS));

        long backoff = ExportFailures.FIRST_BACKOFF_MILLIS;
        for (int refusal = 2; refusal <= 8; refusal++) {
            backoff = Math.min(backoff * 2, ExportFailures.MAX_BACKOFF_MILLIS);
            before = System.currentTimeMillis();
            failures.spansFailed(1, refused());
            after = System.currentTimeMillis();
            assertTrue(failures.refusing(before + backoff - 1), "refusal " + refusal);
            assertFalse(failures.refusing(after + backoff), "refusal " + refusal);
        }
        assertEquals(30_000, backoff);
    }

    @Test
    void anExportTheCollectorTookEndsTheBackOffAndTheNextRefusalStartsAtOneSecondAgain() {
        failures.spansFailed(1, refused());
        failures.spansFailed(1, refused());
        failures.spansExported();
        assertFalse(failures.refusing(System.currentTimeMillis()));

        long before = System.currentTimeMillis();
        failures.spansFailed(1, refused());
        assertTrue(failures.refusing(before + ExportFailures.FIRST_BACKOFF_MILLIS - 1));
        assertFalse(failures.refusing(System.currentTimeMillis() + ExportFailures.FIRST_BACKOFF_MILLIS));
    }

    @Test
    void aCollectorThatAnswersWithAnErrorOrTimesOutIsNotBackedOffFrom() {
        failures.spansFailed(1, new IOException("HTTP 503"));
        failures.spansFailed(1, new java.net.SocketTimeoutException("Read timed out"));
        failures.spansFailed(1, null);
        assertFalse(failures.refusing(System.currentTimeMillis()));
        assertEquals(3, failures.droppedSpans());
    }

    @Test
    void theWarningIsSaidOnceAndSpansNotBuiltAreCountedAsDropped() {
        failures.endpoint("http://127.0.0.1:9/v1/traces");
        failures.spansFailed(2, refused());
        failures.spanNotBuilt();
        failures.spansFailed(1, refused());
        String said = new String(stderr.toByteArray(), StandardCharsets.UTF_8);
        assertEquals(1, said.split("could not export spans to http://127.0.0.1:9/v1/traces", -1).length - 1, said);
        assertTrue(said.contains("ConnectException: Connection refused"), said);
        assertEquals(4, failures.droppedSpans());
    }
}
