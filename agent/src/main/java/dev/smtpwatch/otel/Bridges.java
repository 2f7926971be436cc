package dev.smtpwatch.otel;

import dev.smtpwatch.otel.bridge.Telemetry;
import dev.smtpwatch.session.AgentThreads;
import java.util.concurrent.Callable;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.FutureTask;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import java.util.concurrent.atomic.AtomicBoolean;
import org.slf4j.Logger;

/**
 * One bridge per copy of an OpenTelemetry API: each webapp with its own opentelemetry-api has its own
 * {@code GlobalOpenTelemetry}, and its sessions' spans go to that one. The bridge of a copy is kept in that copy's
 * {@code GlobalOpenTelemetry} class (a {@link ClassValue}), so it lives exactly as long as the app's class loader
 * and keeps nothing of it alive: the bridge's loader has the app's loader as parent, which only the app's own
 * classes reach. The OpenTelemetry Java agent's API is one copy in the bootstrap loader, hence one bridge.
 */
final class Bridges {
    /** How long the export thread waits for a bridge started early, before its session goes without a span. */
    private static final long CREATION_WAIT_MILLIS = 10000;

    /** Makes the bridge over the API whose {@code GlobalOpenTelemetry} class is given. */
    interface Factory {
        Telemetry create(Class<?> globalClass) throws Exception;
    }

    private final ClassValue<Bridge> bridges;
    private final long creationWaitMillis;

    Bridges(Factory factory) {
        this(factory, CREATION_WAIT_MILLIS);
    }

    Bridges(final Factory factory, long creationWaitMillis) {
        this.creationWaitMillis = creationWaitMillis;
        this.bridges = new ClassValue<Bridge>() {
            @Override
            protected Bridge computeValue(final Class<?> globalClass) {
                return new Bridge(new FutureTask<Telemetry>(new Callable<Telemetry>() {
                    @Override
                    public Telemetry call() throws Exception {
                        return factory.create(globalClass);
                    }
                }));
            }
        };
    }

    /** Over the app's API ({@code parent} = its loader) or the OpenTelemetry Java agent's (bootstrap). */
    static Bridges overGlobal(final Logger log, final String version) {
        return new Bridges(new Factory() {
            @Override
            public Telemetry create(Class<?> globalClass) throws Exception {
                ClassLoader bridgeLoader = BridgeClassLoader.over(globalClass.getClassLoader(),
                    TelemetryMode.of(globalClass).bridgeJar());
                Class<?> impl = Class.forName("dev.smtpwatch.otel.bridge.impl.OtelTelemetry", true, bridgeLoader);
                Telemetry telemetry = (Telemetry) impl.getMethod("fromGlobal", String.class).invoke(null, version);
                log.debug("OpenTelemetry initialised for the sessions of {}: spans go through {}",
                    globalClass.getClassLoader() == null ? "the bootstrap loader" : globalClass.getClassLoader(),
                    TelemetryMode.of(globalClass).description());
                return telemetry;
            }
        });
    }

    /**
     * Starts making the bridge of this API copy on a thread of ours, unless it is started already. Called on the
     * app's thread at the first context captured from that copy, so the bridge is ready when the session ends: an
     * app that exits right after sending shuts its SDK down in a shutdown hook, and every millisecond counts.
     */
    void startEarly(Class<?> globalClass) {
        Bridge bridge = bridges.get(globalClass);
        if (bridge.started.compareAndSet(false, true)) {
            AgentThreads.newThread("smtpwatch-otel-init", bridge.creation, true).start();
        }
    }

    /**
     * The bridge of this API copy, made now on the calling thread (the export thread) unless it was started early.
     *
     * @throws Exception why it could not be made, or a {@code TimeoutException} when an early start takes too long
     *     (waited for once: while it still runs, later sessions of that copy go without spans at once)
     */
    Telemetry telemetry(Class<?> globalClass) throws Exception {
        Bridge bridge = bridges.get(globalClass);
        if (bridge.started.compareAndSet(false, true)) {
            bridge.creation.run();
        }
        try {
            if (bridge.waitedOut && !bridge.creation.isDone()) {
                throw new TimeoutException("the OpenTelemetry bridge is still being set up");
            }
            return bridge.creation.get(creationWaitMillis, TimeUnit.MILLISECONDS);
        } catch (TimeoutException e) {
            bridge.waitedOut = true;
            throw e;
        } catch (ExecutionException e) {
            if (e.getCause() instanceof Error) {
                throw (Error) e.getCause();
            }
            throw (Exception) e.getCause();
        }
    }

    /**
     * True the first time it is asked for this API copy after its bridge failed: the failure is said once per
     * copy, not once per session.
     */
    boolean firstFailure(Class<?> globalClass) {
        return bridges.get(globalClass).failureSaid.compareAndSet(false, true);
    }

    private static final class Bridge {
        final FutureTask<Telemetry> creation;
        final AtomicBoolean started = new AtomicBoolean();
        final AtomicBoolean failureSaid = new AtomicBoolean();
        /** Read and written by the export thread only. */
        boolean waitedOut;

        Bridge(FutureTask<Telemetry> creation) {
            this.creation = creation;
        }
    }
}
