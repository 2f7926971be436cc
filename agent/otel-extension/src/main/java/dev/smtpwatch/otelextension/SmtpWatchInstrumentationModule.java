package dev.smtpwatch.otelextension;

import dev.smtpwatch.bootstrap.HookDispatcher;
import dev.smtpwatch.instrumentation.Instrumentations;
import io.opentelemetry.javaagent.extension.instrumentation.InstrumentationModule;
import io.opentelemetry.javaagent.extension.instrumentation.TypeInstrumentation;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Collections;
import java.util.List;

/**
 * smtpwatch inside the OpenTelemetry Java agent: each of the standalone agent's library lines
 * ({@link Instrumentations#all()}) handed to that agent, which weaves the same advice classes. Named
 * {@code smtpwatch}, so {@code otel.instrumentation.smtpwatch.enabled=false} turns it off like any of that
 * agent's instrumentations.
 *
 * <p>The one helper: the advice calls only {@code dev.smtpwatch.bootstrap.HookDispatcher} (static methods, JDK
 * types), which the Java agent defines in each class loader it instruments; {@link ExtensionRecording} installs the
 * recorder's hooks there, and the recorder stays in the extension's class loader. No muzzle references: the advice
 * is written against the library's classes by name and shape only, and a library of another shape is not matched
 * ({@link AdviceAdapter}).
 */
public final class SmtpWatchInstrumentationModule extends InstrumentationModule {
    private static final String DISPATCHER_PACKAGE = "dev.smtpwatch.bootstrap.";

    public SmtpWatchInstrumentationModule() {
        super("smtpwatch");
    }

    @Override
    public boolean isHelperClass(String className) {
        return className.startsWith(DISPATCHER_PACKAGE);
    }

    @Override
    public List<String> getAdditionalHelperClassNames() {
        return Arrays.asList(HookDispatcher.class.getName(), HookDispatcher.Hooks.class.getName());
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
