package dev.smtpwatch.otelextension;

import dev.smtpwatch.instrumentation.Instrumentations;
import io.opentelemetry.javaagent.extension.instrumentation.InstrumentationModule;
import io.opentelemetry.javaagent.extension.instrumentation.TypeInstrumentation;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;

/**
 * smtpwatch inside the OpenTelemetry Java agent: each of the standalone agent's library lines
 * ({@link Instrumentations#all()}) handed to that agent, which weaves the same advice classes. Named
 * {@code smtpwatch}, so {@code otel.instrumentation.smtpwatch.enabled=false} turns it off like any of that
 * agent's instrumentations.
 *
 * <p>No helper classes: the advice calls only {@code dev.smtpwatch.bootstrap.HookDispatcher}, which
 * {@link ExtensionRecording} puts on the bootstrap class path, where every class loader finds it; the recorder
 * stays in the extension's class loader. No muzzle references either: the advice is written against the library's
 * classes by name and shape only, and a library of another shape is not matched ({@link AdviceAdapter}).
 */
public final class SmtpWatchInstrumentationModule extends InstrumentationModule {
    public SmtpWatchInstrumentationModule() {
        super("smtpwatch");
    }

    @Override
    public List<TypeInstrumentation> typeInstrumentations() {
        ExtensionRecording recording = ExtensionRecording.claim();
        if (recording == null) {
            return Collections.emptyList();
        }
        List<TypeInstrumentation> adapters = new ArrayList<TypeInstrumentation>();
        for (dev.smtpwatch.instrumentation.TypeInstrumentation line : Instrumentations.all()) {
            adapters.add(new AdviceAdapter(line, recording));
        }
        return adapters;
    }
}
