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

    @Test
    void takesTheIdAsTheServerWroteItAndNothingElse() {
        assertEquals("4Xb2Qk0Z3Tz9", QueueId.in("250-2.0.0 Ok: queued as 4Xb2Qk0Z3Tz9 (took 1 ms)\r\n"));
        assertEquals("4ANC0a1B012345", QueueId.in("250 4ANC0a1B012345 Message accepted for delivery\n"));
        assertEquals(repeat('a', 64), QueueId.in("250 Ok: queued as " + repeat('a', 70)), "at most 64 characters");
        assertEquals("ABCDEF", QueueId.in("250 queued as X; queued as ABCDEF"), "a later id when the first is short");
        assertEquals("ABCDEF", QueueId.in("250 OK uuid=xyzw id=ABCDEF"), "id= only at the start of a word");
        assertNull(QueueId.in("250 OK uuid=ABCDEF"));
        assertNull(QueueId.in("250 Ok: queued as abc"), "shorter than 4");
        assertNull(QueueId.in("250 2.0.0 4ANC0 Message accepted"), "a Sendmail id is at least 6 long");
        assertNull(QueueId.in("550 4ANC0a1B012345 Message accepted"), "only a 250 reply");
        assertNull(QueueId.in("250 2.0.0 4ANC0a1B012345 Message queued"));
        assertNull(QueueId.in("250 Ok: queued as \u00e9\u00e9\u00e9\u00e9"), "ASCII only");
    }

    private static String repeat(char c, int n) {
        StringBuilder s = new StringBuilder();
        for (int i = 0; i < n; i++) {
            s.append(c);
        }
        return s.toString();
    }
}
