package dev.smtpwatch.agent;

import dev.smtpwatch.instrumentation.TypeInstrumentation;
import dev.smtpwatch.instrumentation.javamail.SmtpTransportInstrumentation;
import dev.smtpwatch.instrumentation.spring.JavaMailSenderInstrumentation;
import java.lang.instrument.Instrumentation;
import java.lang.instrument.UnmodifiableClassException;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import org.slf4j.Logger;

/**
 * Registers the transformer for every library line we instrument. On runtime attach the classes the app already
 * loaded are retransformed.
 *
 * <p>The transformer is built here, on the {@code premain} thread: it only resolves the hook methods (a few ms),
 * and it answers every class load but the instrumented few with one hash lookup of the name. ASM itself is loaded
 * on the first instrumented class. (Byte Buddy's Advice needed ~150 ms and was prepared on a background thread;
 * measured with this weaver, a background build made no difference to start-up, so it went.)
 */
final class TransportInstaller {
    private final Logger log;

    TransportInstaller(Logger log) {
        this.log = log;
    }

    void install(Instrumentation instrumentation, boolean attachedAtRuntime) throws UnmodifiableClassException {
        HookTransformer transformer = new HookTransformer(Arrays.<TypeInstrumentation>asList(
            new SmtpTransportInstrumentation(), new JavaMailSenderInstrumentation()), log);
        instrumentation.addTransformer(transformer, true);
        if (!attachedAtRuntime) {
            return;
        }
        List<Class<?>> loaded = new ArrayList<Class<?>>();
        for (Class<?> c : instrumentation.getAllLoadedClasses()) {
            if (transformer.wants(c.getName()) && instrumentation.isModifiableClass(c)) {
                loaded.add(c);
            }
        }
        if (!loaded.isEmpty()) {
            instrumentation.retransformClasses(loaded.toArray(new Class<?>[0]));
        }
    }
}
