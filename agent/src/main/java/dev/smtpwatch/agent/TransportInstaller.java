package dev.smtpwatch.agent;

import dev.smtpwatch.instrumentation.TypeInstrumentation;
import dev.smtpwatch.instrumentation.javamail.SmtpTransportInstrumentation;
import dev.smtpwatch.instrumentation.spring.JavaMailSenderInstrumentation;
import java.util.Arrays;
import java.lang.instrument.ClassFileTransformer;
import java.lang.instrument.Instrumentation;
import java.lang.instrument.UnmodifiableClassException;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.Callable;
import org.slf4j.Logger;

/**
 * Registers the transformer for every library line we instrument. With {@code premain} the advice is prepared in the background while the app
 * starts; on runtime attach it is prepared at once and the transport classes the app already loaded are
 * retransformed.
 */
final class TransportInstaller {
    private final Logger log;

    TransportInstaller(Logger log) {
        this.log = log;
    }

    void install(Instrumentation instrumentation, boolean attachedAtRuntime) throws UnmodifiableClassException {
        final List<TypeInstrumentation> instrumentations = Arrays.<TypeInstrumentation>asList(
            new SmtpTransportInstrumentation(), new JavaMailSenderInstrumentation());
        List<String> typeNames = new ArrayList<String>();
        for (TypeInstrumentation i : instrumentations) {
            typeNames.addAll(i.typeNames());
        }
        DeferredTransformer transformer = new DeferredTransformer(typeNames, new Callable<ClassFileTransformer>() {
            @Override
            public ClassFileTransformer call() {
                return new HookTransformer(instrumentations, log);
            }
        });
        instrumentation.addTransformer(transformer, true);
        if (!attachedAtRuntime) {
            transformer.buildInBackground();
            return;
        }
        transformer.buildNow();
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
