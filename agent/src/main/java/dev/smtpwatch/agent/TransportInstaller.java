package dev.smtpwatch.agent;

import java.lang.instrument.Instrumentation;

/**
 * Registers the transformer for every library line we instrument. On runtime attach the classes the app already
 * loaded are retransformed, one at a time: a class that cannot be retransformed is named in a WARN and the others
 * are still instrumented.
 *
 * <p>The transformer is built here, on the {@code premain} thread, and holds only the instrumented class names; the
 * recorder, Byte Buddy and the advice are prepared when the first of those classes arrives (docs/performance.md).
 */
final class TransportInstaller {
    private final DeferredLog log;

    TransportInstaller(DeferredLog log) {
        this.log = log;
    }

    /** @param startRecording run once, when the first instrumented class arrives, before it is woven */
    void install(Instrumentation instrumentation, boolean attachedAtRuntime, Runnable startRecording) {
        HookTransformer transformer = new HookTransformer(instrumentation, log, startRecording);
        instrumentation.addTransformer(transformer, true);
        if (!attachedAtRuntime) {
            return;
        }
        for (Class<?> c : instrumentation.getAllLoadedClasses()) {
            if (transformer.wants(c.getName()) && instrumentation.isModifiableClass(c)) {
                try {
                    instrumentation.retransformClasses(c);
                } catch (Throwable t) {
                    log.get().warn("could not instrument the already loaded {} ({}); its mail sessions are not"
                        + " recorded", c.getName(), String.valueOf(t));
                }
            }
        }
    }
}
