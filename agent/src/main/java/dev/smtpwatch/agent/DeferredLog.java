package dev.smtpwatch.agent;

import java.io.PrintStream;
import org.slf4j.Logger;

/**
 * The standalone agent's logger, made at its first use instead of at {@code premain}: an app that sends no mail
 * and whose settings need no warning never loads SLF4J's classes (every app pays for what {@code premain} loads).
 */
final class DeferredLog {
    private final boolean debug;
    /** Null: {@code System.err} as it is at the first use. */
    private final PrintStream out;
    private volatile Logger log;

    DeferredLog(boolean debug) {
        this(debug, null);
    }

    DeferredLog(boolean debug, PrintStream out) {
        this.debug = debug;
        this.out = out;
    }

    Logger get() {
        Logger made = log;
        if (made == null) {
            synchronized (this) {
                if (log == null) {
                    log = out == null ? AgentLog.create(debug) : AgentLog.create(debug, out);
                }
                made = log;
            }
        }
        return made;
    }
}
