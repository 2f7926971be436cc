package dev.smtpwatch.session;

import java.util.concurrent.TimeUnit;

/**
 * A wait for one server reply that the watchdog found longer than {@code stuck.seconds}: what the session was
 * waiting for, on which app thread, since when, and (once it is over) until when.
 */
public final class StuckWait {
    private final String step;
    private final String threadName;
    private final long sinceNanos;
    private volatile long endNanos;
    private volatile boolean ended;

    public StuckWait(String step, String threadName, long sinceNanos) {
        this.step = step;
        this.threadName = threadName;
        this.sinceNanos = sinceNanos;
    }

    /** What the session waited for: {@code the server greeting}, {@code the reply to EHLO}, … */
    public String step() {
        return step;
    }

    /** Name of the app thread that waited, or null when unknown. */
    public String threadName() {
        return threadName;
    }

    public boolean ended() {
        return ended;
    }

    /** Whole seconds waited: until the wait ended, or until {@code nowNanos} while it goes on. */
    public long seconds(long nowNanos) {
        long until = ended ? endNanos : nowNanos;
        return TimeUnit.NANOSECONDS.toSeconds(Math.max(0, until - sinceNanos));
    }

    /** The reply came, the read failed, or the session ended; the first call counts. */
    void end(long nanos) {
        if (!ended) {
            endNanos = nanos;
            ended = true;
        }
    }
}
