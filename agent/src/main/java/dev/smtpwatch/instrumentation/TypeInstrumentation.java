package dev.smtpwatch.instrumentation;

import java.util.List;

/**
 * One library line, in the OpenTelemetry instrumentation style: the classes it instruments and, per hooked
 * method, the Byte Buddy {@code Advice} class inlined into it. Advice classes are named, never loaded: the agent
 * describes them from their class files. Every hooked method and every field an advice reads
 * ({@code @Advice.FieldValue}, declared or inherited) must exist, or the class is of a shape we do not know and is
 * left untouched.
 */
public interface TypeInstrumentation {
    /** Exact binary names of the instrumented classes (subclasses inherit the advice of the methods they keep). */
    List<String> typeNames();

    /** The hooked methods and their advice. */
    List<MethodAdvice> advice();
}
