package dev.smtpwatch.instrumentation;

import java.util.concurrent.atomic.AtomicLong;
import org.slf4j.Logger;

/**
 * Where every woven hook call's suppressed Throwable goes instead of vanishing: counted, and said once — a WARN
 * that a session could not be recorded (the report would otherwise silently miss it), with {@code debug=on} also
 * the throwable — so a broken hook is visible to users and tests while the app's mail goes out as usual.
 */
public final class AdviceErrors {
    private static final AtomicLong COUNT = new AtomicLong();
    private static volatile Logger log;
    private static volatile boolean debug;

    private AdviceErrors() {
    }

    public static void reportTo(Logger agentLog, boolean withDebug) {
        log = agentLog;
        debug = withDebug;
    }

    /** Called from the handler woven around each hook call, with the suppressed throwable. */
    public static void record(Throwable suppressed) {
        if (COUNT.getAndIncrement() == 0) {
            Logger to = log;
            if (to != null) {
                to.warn("a session could not be recorded (an internal error of smtpwatch); mail is unaffected, the"
                    + " report and spans may miss sessions");
                if (debug) {
                    to.debug("advice error (suppressed, the app is unaffected): {}", String.valueOf(suppressed));
                }
            }
        }
    }

    public static long count() {
        return COUNT.get();
    }
}
