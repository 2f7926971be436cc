package dev.smtpwatch.instrumentation;

/** One argument of a hook call: where the woven code takes it from. */
public final class HookArg {
    /** The kinds of source a hook argument can have. */
    public enum Kind {
        /** The instrumented object. */
        THIS,
        /** An argument of the instrumented method, by index. */
        ARGUMENT,
        /** A field of the instrumented class (declared or inherited and accessible), by name. */
        FIELD,
        /** The method's return value; its type's default (0, false, null) when the method threw. Exit only. */
        RETURN_VALUE,
        /** What the method threw, or null when it returned. Exit only. */
        THROWN
    }

    private final Kind kind;
    private final int index;
    private final String field;

    private HookArg(Kind kind, int index, String field) {
        this.kind = kind;
        this.index = index;
        this.field = field;
    }

    public static HookArg self() {
        return new HookArg(Kind.THIS, -1, null);
    }

    public static HookArg argument(int index) {
        return new HookArg(Kind.ARGUMENT, index, null);
    }

    public static HookArg field(String name) {
        return new HookArg(Kind.FIELD, -1, name);
    }

    public static HookArg returnValue() {
        return new HookArg(Kind.RETURN_VALUE, -1, null);
    }

    public static HookArg thrown() {
        return new HookArg(Kind.THROWN, -1, null);
    }

    public Kind kind() {
        return kind;
    }

    public int index() {
        return index;
    }

    public String field() {
        return field;
    }

    @Override
    public String toString() {
        switch (kind) {
            case ARGUMENT:
                return "argument " + index;
            case FIELD:
                return "field " + field;
            default:
                return kind.name().toLowerCase(java.util.Locale.ROOT).replace('_', ' ');
        }
    }
}
