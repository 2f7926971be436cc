package dev.smtpwatch.session;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;

import org.junit.jupiter.api.Test;

class QueueIdTest {
    @Test
    void readsTheIdsOfCommonServers() {
        assertEquals("4Xb2Qk0Z3Tz9", QueueId.in("250 2.0.0 Ok: queued as 4Xb2Qk0Z3Tz9\n"));
        assertEquals("1tVnHq-0003Xy-2c", QueueId.in("250 OK id=1tVnHq-0003Xy-2c\n"));
        assertEquals("4ANC0a1B012345", QueueId.in("250 2.0.0 4ANC0a1B012345 Message accepted for delivery\n"));
        assertNull(QueueId.in("250 2.0.0 Ok\n"));
        assertNull(QueueId.in(null));
    }
}
