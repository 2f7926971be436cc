package dev.smtpwatch.instrumentation;

import java.util.List;

/**
 * Which classes one library line's hooks go into, and where: purely declarative, woven by the agent's
 * {@code HookWeaver}. Every hooked method and every field a hook reads must exist, or the class is of a shape
 * we do not know and is left untouched.
 */
public interface TypeInstrumentation {
    /** Exact names of the instrumented classes (subclasses inherit the hooks of the methods they keep). */
    List<String> typeNames();

    /** The hooked methods; each must match at least one method declared by the class. */
    List<HookedMethod> methods();
}
