package dev.smtpwatch.instrumentation;

import java.util.Arrays;
import java.util.List;

/**
 * A method of an instrumented class, matched by name and shape, and the hooks woven into it. Types are written
 * as Java names ({@code java.lang.String}, {@code int}, {@code byte[]}); {@code *} matches any type and
 * {@code a|b} either of two.
 *
 * <p>An enter hook runs before the method's body. An exit hook runs when the body returns and when it throws
 * (the same Throwable is then rethrown). Neither can change what the method does: anything a hook throws is
 * caught and counted in {@link AdviceErrors}.
 */
public final class HookedMethod {
    private final String name;
    private final List<String> parameterTypes;
    private final String returnType;
    private final Hook enter;
    private final Hook exit;

    private HookedMethod(String name, List<String> parameterTypes, String returnType, Hook enter, Hook exit) {
        this.name = name;
        this.parameterTypes = parameterTypes;
        this.returnType = returnType;
        this.enter = enter;
        this.exit = exit;
    }

    /** The method {@code name} with exactly these parameter types (and any return type until {@link #returns}). */
    public static HookedMethod method(String name, String... parameterTypes) {
        return new HookedMethod(name, Arrays.asList(parameterTypes.clone()), "*", null, null);
    }

    public HookedMethod returns(String type) {
        return new HookedMethod(name, parameterTypes, type, enter, exit);
    }

    public HookedMethod onEnter(Hook hook) {
        return new HookedMethod(name, parameterTypes, returnType, hook, exit);
    }

    public HookedMethod onExit(Hook hook) {
        return new HookedMethod(name, parameterTypes, returnType, enter, hook);
    }

    public Hook enter() {
        return enter;
    }

    public Hook exit() {
        return exit;
    }

    /** Whether a declared method of this name, parameter types and return type (Java names) is this one. */
    public boolean matches(String methodName, List<String> parameters, String returns) {
        if (!name.equals(methodName) || parameters.size() != parameterTypes.size() || !typeMatches(returnType, returns)) {
            return false;
        }
        for (int i = 0; i < parameters.size(); i++) {
            if (!typeMatches(parameterTypes.get(i), parameters.get(i))) {
                return false;
            }
        }
        return true;
    }

    private static boolean typeMatches(String pattern, String type) {
        return "*".equals(pattern) || Arrays.asList(pattern.split("\\|")).contains(type);
    }

    @Override
    public String toString() {
        String parameters = parameterTypes.toString();
        return returnType + " " + name + "(" + parameters.substring(1, parameters.length() - 1) + ")";
    }
}
