package dev.smtpwatch.export;

import dev.smtpwatch.session.SmtpSession;
import java.lang.ref.Reference;
import java.lang.ref.WeakReference;
import java.lang.reflect.Method;
import java.util.Map;
import java.util.WeakHashMap;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.logging.Handler;
import java.util.logging.Level;
import org.slf4j.Logger;

/**
 * {@code log=app}: the lines go through the app's own logging, logger {@code smtpwatch}: its SLF4J when that has
 * a provider, else the Log4j 2 API, else java.util.logging; stderr when none of them can show a line, said once.
 * The app's logging is found through the session's mail library class loader, then the thread's context loader,
 * and called reflectively (the agent's own SLF4J is a relocated copy the app's backend does not know).
 *
 * <p>Called on the export thread (and the watchdog's, for {@code session-stuck}), never on a sending thread.
 * The app's logging classes are held only weakly, per class loader, so an undeployed app can be collected.
 *
 * <p>No loop: an app whose logging mails its WARN lines (Log4j's SMTP appender) sends that mail on this thread,
 * inside the call below. {@link #callingAppLogging()} tells the export pipeline so, and the findings of such a
 * session are written to stderr instead of the app's logging ({@link #divertedToStderr}), so a smtpwatch line
 * never causes a second one.
 */
public final class AppLogLines implements LogLines {
    private static final ThreadLocal<Boolean> CALLING_APP = new ThreadLocal<Boolean>();
    private static final ThreadLocal<Boolean> DIVERTED = new ThreadLocal<Boolean>();
    private static final ThreadLocal<String[]> SPAN_IDS = new ThreadLocal<String[]>();
    /** The MDC keys of OpenTelemetry's logback and Log4j MDC instrumentation. */
    static final String TRACE_ID = "trace_id";
    static final String SPAN_ID = "span_id";

    private final Logger stderr;
    /** Per class loader: a weakly held {@link AppLogger}, or {@link #NONE}. */
    private final Map<ClassLoader, Object> byLoader = new WeakHashMap<ClassLoader, Object>();
    private static final Object NONE = new Object();
    private final AtomicBoolean fallbackSaid = new AtomicBoolean();

    public AppLogLines(Logger stderr) {
        this.stderr = stderr;
    }

    /** True on a thread that is inside the app's logging for a smtpwatch line: a mail sent now is caused by it. */
    public static boolean callingAppLogging() {
        return CALLING_APP.get() != null;
    }

    /** Runs {@code export} with every app-log line written to stderr instead: for a session sent by our own line. */
    static void divertedToStderr(Runnable export) {
        DIVERTED.set(Boolean.TRUE);
        try {
            export.run();
        } finally {
            DIVERTED.remove();
        }
    }

    /** The ids of the span of the session being exported on this thread, for the MDC; null clears them. */
    public static void spanOfSession(String traceId, String spanId) {
        if (traceId == null) {
            SPAN_IDS.remove();
        } else {
            SPAN_IDS.set(new String[] {traceId, spanId});
        }
    }

    @Override
    public void warn(SmtpSession session, String line) {
        log(session, true, line);
    }

    @Override
    public void info(SmtpSession session, String line) {
        log(session, false, line);
    }

    private void log(SmtpSession session, boolean warn, String line) {
        if (DIVERTED.get() != null || CALLING_APP.get() != null) {
            toStderr(warn, line + " (sent by the app's logging of a smtpwatch line: not logged there again)");
            return;
        }
        AppLogger app = appLogger(session);
        if (app == null) {
            toStderr(warn, line);
            return;
        }
        String[] ids = SPAN_IDS.get();
        CALLING_APP.set(Boolean.TRUE);
        try {
            app.log(warn, line, ids == null ? null : ids[0], ids == null ? null : ids[1]);
        } catch (Throwable t) {
            // the app's logging refused the line: it must still be seen
            stderr.debug("the app's logging failed", t);
            toStderr(warn, line);
        } finally {
            CALLING_APP.remove();
        }
    }

    private void toStderr(boolean warn, String line) {
        if (warn) {
            stderr.warn(line);
        } else {
            stderr.info(line);
        }
    }

    private AppLogger appLogger(SmtpSession session) {
        Class<?> transport = session.library().transportClass();
        ClassLoader library = transport == null ? null : transport.getClassLoader();
        ClassLoader context = Thread.currentThread().getContextClassLoader();
        AppLogger found = lookUp(library);
        if (found == null && context != library) {
            found = lookUp(context);
        }
        if (found == null) {
            found = lookUp(ClassLoader.getSystemClassLoader());
        }
        if (found == null && fallbackSaid.compareAndSet(false, true)) {
            // java.util.logging resets its handlers in a shutdown hook of its own: a line logged at exit finds none
            stderr.warn("log=app: the app has no logging that shows a line of logger 'smtpwatch' (no SLF4J provider,"
                + " no Log4j 2, and java.util.logging has no handler, or reset them as the JVM exits);"
                + " smtpwatch lines go to stderr");
        }
        return found;
    }

    private AppLogger lookUp(ClassLoader loader) {
        if (loader == null) {
            return null;
        }
        synchronized (byLoader) {
            Object known = byLoader.get(loader);
            if (known == NONE) {
                return null;
            }
            @SuppressWarnings("unchecked")
            AppLogger logger = known == null ? null : ((Reference<AppLogger>) known).get();
            if (logger == null) {
                logger = AppLogger.find(loader, stderr);
                byLoader.put(loader, logger == null ? NONE : new WeakReference<AppLogger>(logger));
            }
            return logger;
        }
    }

    /** One way into the app's logging. */
    abstract static class AppLogger {
        // Built at run time: the agent jar's shade step rewrites "org.slf4j..." string constants to its copy.
        static final String SLF4J = "org_slf4j_".replace('_', '.');
        static final String LOG4J = "org_apache_logging_log4j_".replace('_', '.');

        abstract void log(boolean warn, String line, String traceId, String spanId) throws Exception;

        /** SLF4J with a provider, else Log4j 2, else java.util.logging when it has a handler, else null. */
        static AppLogger find(ClassLoader loader, Logger stderr) {
            try {
                AppLogger found = Reflective.slf4j(loader);
                if (found == null) {
                    found = Reflective.log4j(loader);
                }
                if (found == null) {
                    found = JavaUtilLogging.find();
                }
                stderr.debug("log=app: smtpwatch lines go through {}", found);
                return found;
            } catch (Throwable t) {
                stderr.debug("log=app: the app's logging could not be used", t);
                return null;
            }
        }
    }

    /** An SLF4J or Log4j 2 logger, with its MDC (SLF4J {@code MDC}, Log4j {@code ThreadContext}). */
    static final class Reflective extends AppLogger {
        private final String name;
        private final Object logger;
        private final Method warn;
        private final Method info;
        private final Method put;
        private final Method remove;

        private Reflective(String name, Object logger, Class<?> loggerType, Class<?> mdc) throws Exception {
            this.name = name;
            this.logger = logger;
            this.warn = loggerType.getMethod("warn", String.class);
            this.info = loggerType.getMethod("info", String.class);
            this.put = mdc.getMethod("put", String.class, String.class);
            this.remove = mdc.getMethod("remove", String.class);
        }

        /** Null without a provider (SLF4J 2) or binding (1.7): SLF4J drops every line; the app may use Log4j. */
        static AppLogger slf4j(ClassLoader loader) throws Exception {
            return through(loader, "SLF4J", SLF4J + "LoggerFactory", "getILoggerFactory", ".NOPLoggerFactory",
                SLF4J + "Logger", SLF4J + "MDC");
        }

        /** Null for the API without an implementation, which only prints its own complaint to stderr. */
        static AppLogger log4j(ClassLoader loader) throws Exception {
            return through(loader, "Log4j 2", LOG4J + "LogManager", "getFactory", ".SimpleLoggerContextFactory",
                LOG4J + "Logger", LOG4J + "ThreadContext");
        }

        /**
         * @param entry the static entry point, with {@code getLogger(String)} and {@code backendGetter}
         * @param noBackend how the name of the backend class ends when there is no real one
         * @param mdc the class with static {@code put(String, String)} and {@code remove(String)}
         */
        private static AppLogger through(ClassLoader loader, String label, String entry, String backendGetter,
                                         String noBackend, String loggerType, String mdc) throws Exception {
            Class<?> api = load(entry, loader);
            if (api == null) {
                return null;
            }
            Object backend = api.getMethod(backendGetter).invoke(null);
            if (backend == null || backend.getClass().getName().endsWith(noBackend)) {
                return null;
            }
            Object logger = api.getMethod("getLogger", String.class).invoke(null, "smtpwatch");
            return new Reflective(label + " (" + backend.getClass().getName() + ")", logger,
                Class.forName(loggerType, false, loader), Class.forName(mdc, true, loader));
        }

        private static Class<?> load(String name, ClassLoader loader) {
            try {
                return Class.forName(name, true, loader);
            } catch (ClassNotFoundException | LinkageError absent) {
                return null;
            }
        }

        @Override
        void log(boolean asWarn, String line, String traceId, String spanId) throws Exception {
            if (traceId == null) {
                (asWarn ? warn : info).invoke(logger, line);
                return;
            }
            // the export thread's MDC holds nothing of the app's: set for this line only
            put.invoke(null, TRACE_ID, traceId);
            put.invoke(null, SPAN_ID, spanId);
            try {
                (asWarn ? warn : info).invoke(logger, line);
            } finally {
                remove.invoke(null, TRACE_ID);
                remove.invoke(null, SPAN_ID);
            }
        }

        @Override
        public String toString() {
            return name;
        }
    }

    /** java.util.logging, which has no MDC: the ids are appended to the line. */
    static final class JavaUtilLogging extends AppLogger {
        private final java.util.logging.Logger logger = java.util.logging.Logger.getLogger("smtpwatch");

        /** Null when no handler would show the line (a {@code LogManager.reset()} without new handlers). */
        static AppLogger find() {
            JavaUtilLogging jul = new JavaUtilLogging();
            for (java.util.logging.Logger l = jul.logger; l != null; l = l.getParent()) {
                Handler[] handlers = l.getHandlers();
                if (handlers.length > 0) {
                    return jul;
                }
                if (!l.getUseParentHandlers()) {
                    break;
                }
            }
            return null;
        }

        @Override
        void log(boolean warn, String line, String traceId, String spanId) {
            String text = traceId == null ? line : line + " trace_id=" + traceId + " span_id=" + spanId;
            // explicit source: else java.util.logging names the agent's reflective frames as the caller
            logger.logp(warn ? Level.WARNING : Level.INFO, "smtpwatch", null, text);
        }

        @Override
        public String toString() {
            return "java.util.logging";
        }
    }
}
