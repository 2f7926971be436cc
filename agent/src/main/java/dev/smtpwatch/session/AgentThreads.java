package dev.smtpwatch.session;

import java.lang.reflect.Constructor;
import java.security.AccessController;
import java.security.PrivilegedAction;

/**
 * Every thread of the agent (export, watchdog, OpenTelemetry start-up, preparation, shutdown hook) is made here.
 * They are created on whatever app thread first needs them, often a webapp's request thread, and a plain
 * {@code new Thread} would take from it what pins the webapp's class loader for the JVM's lifetime: the context
 * class loader, the access control context of the frames on its stack (their protection domains name their
 * loaders; JDK 8 to 23) and the values of its inheritable thread locals. These threads get none of the three.
 * In this package because the recorder, the exporters and the agent's start-up all use it.
 */
public final class AgentThreads {
    /** {@code Thread(ThreadGroup, Runnable, String, long, boolean inheritThreadLocals)}, JDK 9 on; null on 8. */
    private static final Constructor<Thread> WITHOUT_INHERITED_LOCALS = withoutInheritedLocals();

    private AgentThreads() {
    }

    /** A thread that holds nothing of the thread creating it; daemon unless it is a shutdown hook. */
    public static Thread newThread(final String name, final Runnable task, final boolean daemon) {
        return AccessController.doPrivileged(new PrivilegedAction<Thread>() {
            @Override
            public Thread run() {
                Thread thread = create(name, task);
                thread.setDaemon(daemon);
                thread.setContextClassLoader(null);
                return thread;
            }
        });
    }

    private static Thread create(String name, Runnable task) {
        if (WITHOUT_INHERITED_LOCALS != null) {
            try {
                return WITHOUT_INHERITED_LOCALS.newInstance(null, task, name, 0L, false);
            } catch (ReflectiveOperationException | RuntimeException fallBack) {
                // as on JDK 8: the thread copies the creator's inheritable thread locals
            }
        }
        return new Thread(task, name);
    }

    private static Constructor<Thread> withoutInheritedLocals() {
        try {
            return Thread.class.getConstructor(ThreadGroup.class, Runnable.class, String.class, long.class,
                boolean.class);
        } catch (NoSuchMethodException | RuntimeException jdk8) {
            return null;
        }
    }
}
