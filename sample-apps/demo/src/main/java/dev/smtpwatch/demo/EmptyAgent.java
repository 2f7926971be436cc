package dev.smtpwatch.demo;

import java.lang.instrument.Instrumentation;

/** The baseline of the no-mail benchmark: a {@code -javaagent} that does nothing, so only our agent's work differs. */
public final class EmptyAgent {
    private EmptyAgent() {
    }

    public static void premain(String args, Instrumentation instrumentation) {
        // nothing: the cost of any -javaagent (the instrument library, the jar) is the baseline
    }
}
