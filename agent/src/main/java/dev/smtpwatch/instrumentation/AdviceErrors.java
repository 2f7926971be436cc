package dev.smtpwatch.instrumentation;

import java.util.concurrent.atomic.AtomicLong;
import org.slf4j.Logger;

/**
 * Where every woven hook call's suppressed Throwable goes instead of vanishing: counted, and shown once with
 * {@code debug=on}, so a broken hook is visible to us and tests while the app never notices.
 */
public final class AdviceErrors {
    private static final AtomicLong COUNT = new AtomicLong();
    private static volatile Logger debugLog;

    private AdviceErrors() {
    }

    public static void reportTo(Logger debug) {
        debugLog = debug;
    }

    /** Called from the handler woven around each hook call, with the suppressed throwable. */
    public static void record(Throwable suppressed) {
        if (COUNT.getAndIncrement() == 0) {
            Logger log = debugLog;
            if (log != null) {
                log.debug("advice error (suppressed, the app is unaffected): {}", String.valueOf(suppressed));
            }
        }
    }

    public static long count() {
        return COUNT.get();
    }
}
