package dev.smtpwatch.otel;

import dev.smtpwatch.session.CallerContext;
import java.lang.ref.WeakReference;
import java.util.Map;
import java.util.WeakHashMap;

/**
 * Captures the app's current OpenTelemetry context on the sending thread, the only OpenTelemetry work done
 * there: a cached lookup and two reflective calls ({@code GlobalOpenTelemetry.isSet()}, {@code Context.current()}).
 * The app's own API wins when it has a global registered; else the OpenTelemetry Java agent's, when it runs.
 * Nothing of the API is linked against, nothing is initialised that the app would not have initialised itself.
 */
public final class OtelCallerContext implements CallerContext {
    private static final Object NONE = new Object();

    /** Per app class loader: an {@link ApiReference}, or {@link #NONE}. */
    private final Map<ClassLoader, Object> appApis = new WeakHashMap<ClassLoader, Object>();
    private volatile Object javaagentApi;
    /** Told at the first context captured from each copy of the API, so its bridge is ready when the session ends. */
    private volatile FirstContextListener firstContextListener;
    /** Inside the OpenTelemetry Java agent (the extension): its API only, whatever the app has. */
    private final boolean javaagentOnly;

    public OtelCallerContext() {
        this(false);
    }

    private OtelCallerContext(boolean javaagentOnly) {
        this.javaagentOnly = javaagentOnly;
    }

    /**
     * For the OpenTelemetry Java agent extension: the context is that agent's (the app's own API, if any, is
     * bridged into it by the agent), and so is the pipeline, never smtpwatch's embedded SDK.
     */
    public static OtelCallerContext javaagentOnly() {
        return new OtelCallerContext(true);
    }

    boolean isJavaagentOnly() {
        return javaagentOnly;
    }

    interface FirstContextListener {
        /**
         * Called on the app's thread at the first context captured from a copy of the API (by {@link OtelApi}
         * object): must only hand the work to another thread.
         */
        void firstContext(Class<?> globalClass);
    }

    void onFirstContext(FirstContextListener listener) {
        firstContextListener = listener;
    }

    /**
     * The app's API is looked for first through the sending thread's context class loader, then through
     * {@code libraryLoader} (the mail library's): a webapp with the mail library in the server's shared lib
     * directory and OpenTelemetry in its own {@code WEB-INF/lib} is seen only through the former.
     */
    @Override
    public Object capture(ClassLoader libraryLoader) {
        try {
            OtelApi source = null;
            ClassLoader appLoader = Thread.currentThread().getContextClassLoader();
            OtelApi app = javaagentOnly ? null : appApi(appLoader);
            if (!javaagentOnly && (app == null || !app.globalSet()) && libraryLoader != appLoader) {
                appLoader = libraryLoader;
                app = appApi(appLoader);
            }
            if (app != null && app.globalSet()) {
                source = app;
            } else {
                OtelApi agent = javaagentApi();
                if (agent != null && agent.globalSet()) {
                    source = agent;
                }
            }
            Object context = source == null ? null : source.currentContext();
            if (context == null) {
                return null;
            }
            if (source.firstCapture()) {
                FirstContextListener listener = firstContextListener;
                if (listener != null) {
                    listener.firstContext(source.globalClass());
                }
            }
            return new CapturedContext(source.globalClass(), context);
        } catch (Throwable t) {
            return null;
        }
    }

    /**
     * The app's API as {@code appLoader} sees it, or null; remembered per loader (a miss costs an exception). A
     * found API holds its loader's classes, so the map keeps it only weakly: a strong value would keep the weak
     * key alive and an undeployed app's loader could never be collected. After a GC it is looked up again.
     */
    OtelApi appApi(ClassLoader appLoader) {
        if (appLoader == null) {
            return null;
        }
        synchronized (appApis) {
            Object known = appApis.get(appLoader);
            if (known == NONE) {
                return null;
            }
            OtelApi api = known == null ? null : ((ApiReference) known).get();
            if (api == null) {
                api = OtelApi.find(appLoader, OtelApi.APP_PREFIX);
                appApis.put(appLoader, api == null ? NONE : new ApiReference(api));
            }
            return api;
        }
    }

    private static final class ApiReference extends WeakReference<OtelApi> {
        ApiReference(OtelApi api) {
            super(api);
        }
    }

    /** The OpenTelemetry Java agent's API in the bootstrap loader, or null when it does not run. */
    OtelApi javaagentApi() {
        Object api = javaagentApi;
        if (api == null) {
            OtelApi found = OtelApi.find(null, OtelApi.JAVAAGENT_PREFIX);
            api = found == null ? NONE : found;
            javaagentApi = api;
        }
        return api == NONE ? null : (OtelApi) api;
    }
}
