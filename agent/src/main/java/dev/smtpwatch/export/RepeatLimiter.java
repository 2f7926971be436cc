package dev.smtpwatch.export;

import java.util.HashMap;
import java.util.Map;
import java.util.concurrent.TimeUnit;

/**
 * Lets a key (a string, or an object with {@code equals} and {@code hashCode}) through at most once per interval and
 * counts what it held back. Export thread only.
 */
public final class RepeatLimiter {
    private static final int MAX_KEYS = 10_000;

    private final long intervalNanos;
    private final Map<Object, long[]> seen = new HashMap<Object, long[]>();

    public RepeatLimiter(long interval, TimeUnit unit) {
        this.intervalNanos = unit.toNanos(interval);
    }

    /** Lets a key through the first time only (until the key table is full and starts over). */
    public boolean admitOnce(Object key) {
        if (seen.containsKey(key)) {
            return false;
        }
        if (seen.size() >= MAX_KEYS) {
            seen.clear();
        }
        seen.put(key, new long[] {0, 0});
        return true;
    }

    /** @return -1 to hold this one back, else how many were held back since the key last passed */
    public int admit(Object key, long nowNanos) {
        long[] state = seen.get(key);
        if (state == null) {
            if (seen.size() >= MAX_KEYS) {
                seen.clear();
            }
            seen.put(key, new long[] {nowNanos, 0});
            return 0;
        }
        if (nowNanos - state[0] < intervalNanos) {
            state[1]++;
            return -1;
        }
        int held = (int) state[1];
        state[0] = nowNanos;
        state[1] = 0;
        return held;
    }
}
