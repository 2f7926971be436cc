package dev.smtpwatch.instrumentation;

import net.bytebuddy.description.method.MethodDescription;
import net.bytebuddy.matcher.ElementMatcher;

/** The methods one advice class goes into: a matcher, and the method as a user reads it in a warning. */
public final class MethodAdvice {
    private final String method;
    private final ElementMatcher<? super MethodDescription> matcher;
    private final String adviceClass;

    private MethodAdvice(String method, ElementMatcher<? super MethodDescription> matcher, String adviceClass) {
        this.method = method;
        this.matcher = matcher;
        this.adviceClass = adviceClass;
    }

    /**
     * @param method      the hooked method as Java source would name it, e.g. {@code readServerResponse()}
     * @param adviceClass binary name of the advice class (a name, so the class is never loaded)
     */
    public static MethodAdvice of(String method, ElementMatcher<? super MethodDescription> matcher,
                                  String adviceClass) {
        return new MethodAdvice(method, matcher, adviceClass);
    }

    public String method() {
        return method;
    }

    public ElementMatcher<? super MethodDescription> matcher() {
        return matcher;
    }

    public String adviceClass() {
        return adviceClass;
    }
}
