package dev.smtpwatch.instrumentation;

import java.util.List;
import java.util.Map;
import net.bytebuddy.description.method.MethodDescription;
import net.bytebuddy.matcher.ElementMatcher;

/** Which classes one library line's advice goes into, and where. */
public interface TypeInstrumentation {
    /** Exact names of the instrumented classes (subclasses inherit the advice of the methods they keep). */
    List<String> typeNames();

    /** Fields the advice reads; a class without one of them is left untouched. */
    List<String> requiredFields();

    /**
     * Advice class name → the methods it goes into. Each matcher must match a declared method, or the class is
     * of a shape we do not know and is left untouched.
     */
    Map<String, ElementMatcher<? super MethodDescription>> advice();
}
