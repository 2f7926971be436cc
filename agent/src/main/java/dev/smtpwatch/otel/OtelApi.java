package dev.smtpwatch.otel;

import java.lang.reflect.Field;
import java.lang.reflect.Method;

/**
 * One copy of the OpenTelemetry API seen through reflection, without linking against it: the app's own
 * ({@code io.opentelemetry.*} in the app's class loader) or the OpenTelemetry Java agent's relocated one
 * ({@code io.opentelemetry.javaagent.shaded.io.opentelemetry.*} in the bootstrap loader). It answers two
 * questions, cheaply and without side effects: is an {@code OpenTelemetry} registered as global, and what is the
 * current context.
 */
final class OtelApi {
    // Built at run time: the agent jar's shade step rewrites every "io.opentelemetry..." string constant to the
    // relocated package, and these must name the real ones.
    static final String APP_PREFIX = "io_opentelemetry_".replace('_', '.');
    static final String JAVAAGENT_PREFIX = APP_PREFIX + "javaagent.shaded." + APP_PREFIX;

    private final Class<?> globalClass;
    private final Method isSet;
    private final Field global;
    private final Method current;
    /** Set at the first context captured from this copy (see {@link #firstCapture}). */
    private volatile boolean captured;

    private OtelApi(Class<?> globalClass, Method isSet, Field global, Method current) {
        this.globalClass = globalClass;
        this.isSet = isSet;
        this.global = global;
        this.current = current;
    }

    /** @return the API under {@code prefix} as {@code loader} (null: bootstrap) sees it, or null when it has none */
    static OtelApi find(ClassLoader loader, String prefix) {
        try {
            Class<?> globalClass = Class.forName(prefix + "api.GlobalOpenTelemetry", false, loader);
            Class<?> contextClass = Class.forName(prefix + "context.Context", false, loader);
            Method current = contextClass.getMethod("current");
            Method isSet = null;
            Field global = null;
            try {
                isSet = globalClass.getMethod("isSet");
            } catch (NoSuchMethodException beforeApi152) {
                // Reading the field instead of calling get(): get() would register a no-op global when none is
                // set, and the app could no longer set its own.
                global = globalClass.getDeclaredField("globalOpenTelemetry");
                global.setAccessible(true);
            }
            return new OtelApi(globalClass, isSet, global, current);
        } catch (Throwable absent) {
            return null;
        }
    }

    /** This copy's {@code GlobalOpenTelemetry}: which copy it is, and where its bridge is kept. */
    Class<?> globalClass() {
        return globalClass;
    }

    /**
     * True at the first context captured through this object: one volatile read per send after that. (Two loaders
     * seeing one copy, or a racing second sender, may each get true once; starting a bridge is idempotent.)
     */
    boolean firstCapture() {
        if (captured) {
            return false;
        }
        captured = true;
        return true;
    }

    boolean globalSet() {
        try {
            if (isSet != null) {
                return Boolean.TRUE.equals(isSet.invoke(null));
            }
            return global.get(null) != null;
        } catch (Throwable t) {
            return false;
        }
    }

    /** {@code Context.current()}, or null. */
    Object currentContext() {
        try {
            return current.invoke(null);
        } catch (Throwable t) {
            return null;
        }
    }
}
