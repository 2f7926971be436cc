package dev.smtpwatch.session;

import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;

/**
 * One daemon thread that looks, a few times per threshold, at the sessions still open and tells the listener of
 * every wait for one reply that has lasted {@code stuck.seconds}, once per wait. The app's threads only write a
 * timestamp when they start and stop waiting; everything else happens here. Started at the first session, so an
 * app that never sends mail never gets the thread.
 */
public final class StuckSessionWatchdog {
    private static final long MAX_TICK_MILLIS = 1000;
    private static final long MIN_TICK_MILLIS = 50;

    private final SessionRecorder recorder;
    private final long thresholdNanos;
    private final long tickMillis;
    private final StuckSessionListener listener;
    private final AtomicBoolean started = new AtomicBoolean();

    StuckSessionWatchdog(SessionRecorder recorder, long thresholdMillis, StuckSessionListener listener) {
        this.recorder = recorder;
        this.thresholdNanos = TimeUnit.MILLISECONDS.toNanos(thresholdMillis);
        this.tickMillis = Math.max(MIN_TICK_MILLIS, Math.min(MAX_TICK_MILLIS, thresholdMillis / 4));
        this.listener = listener;
    }

    void startOnce() {
        if (started.get() || !started.compareAndSet(false, true)) {
            return;
        }
        AgentThreads.newThread("smtpwatch-watchdog", new Runnable() {
            @Override
            public void run() {
                watch();
            }
        }, true).start();
    }

    private void watch() {
        while (true) {
            try {
                Thread.sleep(tickMillis);
            } catch (InterruptedException e) {
                return;
            }
            check(System.nanoTime());
        }
    }

    /** One look at the open sessions; the listener's failure never stops the watch. */
    void check(long nowNanos) {
        List<SessionRecorder.Stuck> stuck = recorder.newlyStuck(nowNanos, thresholdNanos);
        for (SessionRecorder.Stuck s : stuck) {
            try {
                listener.stuck(s.session, s.wait);
            } catch (RuntimeException e) {
                // a warning that cannot be written must not end the watch for later sessions
            }
        }
    }
}
