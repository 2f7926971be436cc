package dev.smtpwatch.agent;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;

import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

class RecordingClaimTest {
    @AfterEach
    void release() {
        System.clearProperty(RecordingClaim.PROPERTY);
    }

    @Test
    void theFirstFormRecordsTheSecondIsToldWhichDoes() {
        assertNull(RecordingClaim.claim(RecordingClaim.OTEL_EXTENSION));
        assertNull(RecordingClaim.claim(RecordingClaim.OTEL_EXTENSION), "asking again changes nothing");

        String recording = RecordingClaim.claim(RecordingClaim.STANDALONE_AGENT);

        assertEquals(RecordingClaim.OTEL_EXTENSION, recording);
        assertEquals("the smtpwatch extension of the OpenTelemetry Java agent (otel.javaagent.extensions) already"
            + " records this JVM's mail sessions; smtpwatch-agent.jar (-javaagent) stays idle (attach only one of"
            + " them)", RecordingClaim.idleWarning(RecordingClaim.STANDALONE_AGENT, recording));
    }
}
