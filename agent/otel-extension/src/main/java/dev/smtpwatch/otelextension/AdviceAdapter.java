package dev.smtpwatch.otelextension;

import static net.bytebuddy.matcher.ElementMatchers.namedOneOf;

import dev.smtpwatch.instrumentation.MethodAdvice;
import dev.smtpwatch.instrumentation.TypeShape;
import io.opentelemetry.javaagent.extension.instrumentation.TypeInstrumentation;
import io.opentelemetry.javaagent.extension.instrumentation.TypeTransformer;
import java.security.ProtectionDomain;
import java.util.List;
import net.bytebuddy.agent.builder.AgentBuilder;
import net.bytebuddy.description.type.TypeDescription;
import net.bytebuddy.dynamic.ClassFileLocator;
import net.bytebuddy.dynamic.DynamicType;
import net.bytebuddy.matcher.ElementMatcher;
import net.bytebuddy.pool.TypePool;
import net.bytebuddy.utility.JavaModule;

/**
 * One of smtpwatch's library lines as the OpenTelemetry Java agent's {@link TypeInstrumentation}: the same class
 * names, the same method matchers, the same advice classes by name. A class of a shape the advice does not know is
 * not matched and is named in one WARN, as the standalone agent does. Each matched class, before it is defined, has
 * the recorder's hooks installed in its class loader (and the first starts the recorder).
 */
final class AdviceAdapter implements TypeInstrumentation {
    private final dev.smtpwatch.instrumentation.TypeInstrumentation line;
    private final TypeShape shape;
    private final ExtensionRecording recording;

    AdviceAdapter(dev.smtpwatch.instrumentation.TypeInstrumentation line, ExtensionRecording recording) {
        this.line = line;
        this.shape = TypeShape.of(line, TypePool.Default.of(
            ClassFileLocator.ForClassLoader.of(AdviceAdapter.class.getClassLoader())));
        this.recording = recording;
    }

    @Override
    public ElementMatcher<TypeDescription> typeMatcher() {
        return namedOneOf(line.typeNames().toArray(new String[0])).and(new ElementMatcher<TypeDescription>() {
            @Override
            public boolean matches(TypeDescription type) {
                List<String> missing = shape.missing(type);
                if (!missing.isEmpty()) {
                    recording.notInstrumenting(type.getName(), missing);
                }
                return missing.isEmpty();
            }
        });
    }

    @Override
    public void transform(TypeTransformer transformer) {
        transformer.applyTransformer(new AgentBuilder.Transformer() {
            @Override
            public DynamicType.Builder<?> transform(DynamicType.Builder<?> builder, TypeDescription type,
                                                    ClassLoader loader, JavaModule module,
                                                    ProtectionDomain protectionDomain) {
                recording.start(loader);
                return builder;
            }
        });
        for (MethodAdvice method : line.advice()) {
            transformer.applyAdviceToMethod(method.matcher(), method.adviceClass());
        }
    }
}
