package dev.smtpwatch.instrumentation;

import java.util.Arrays;
import java.util.Collections;
import java.util.List;

/**
 * A call the weaver inserts: a public static method of a public agent class (found by name; one method of that
 * name with as many parameters as {@link #args()}), and where each of its arguments comes from.
 */
public final class Hook {
    private final Class<?> owner;
    private final String method;
    private final List<HookArg> args;

    private Hook(Class<?> owner, String method, List<HookArg> args) {
        this.owner = owner;
        this.method = method;
        this.args = args;
    }

    public static Hook call(Class<?> owner, String method, HookArg... args) {
        return new Hook(owner, method, Collections.unmodifiableList(Arrays.asList(args.clone())));
    }

    public Class<?> owner() {
        return owner;
    }

    public String method() {
        return method;
    }

    public List<HookArg> args() {
        return args;
    }

    @Override
    public String toString() {
        return owner.getSimpleName() + "." + method + args;
    }
}
