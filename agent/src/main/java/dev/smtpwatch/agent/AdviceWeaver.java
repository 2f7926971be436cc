package dev.smtpwatch.agent;

import static net.bytebuddy.matcher.ElementMatchers.named;

import dev.smtpwatch.bootstrap.HookDispatcher;
import dev.smtpwatch.instrumentation.MethodAdvice;
import dev.smtpwatch.instrumentation.TypeInstrumentation;
import dev.smtpwatch.instrumentation.TypeShape;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import net.bytebuddy.ClassFileVersion;
import net.bytebuddy.asm.Advice;
import net.bytebuddy.asm.AsmVisitorWrapper;
import net.bytebuddy.description.method.MethodDescription;
import net.bytebuddy.description.type.TypeDescription;
import net.bytebuddy.dynamic.ClassFileLocator;
import net.bytebuddy.implementation.Implementation;
import net.bytebuddy.implementation.bytecode.member.MethodInvocation;
import net.bytebuddy.jar.asm.ClassReader;
import net.bytebuddy.jar.asm.ClassWriter;
import net.bytebuddy.pool.TypePool;

/**
 * Inlines the instrumentations' Byte Buddy {@link Advice} into class files, as an ASM visitor over the class file
 * the JVM hands the transformer: no {@code AgentBuilder}, no {@code ByteBuddy} DSL, no class loaded to describe
 * anything. Advice classes are read from the agent jar through a {@link TypePool} and prepared once, here; the
 * instrumented class is described from its own bytes (and its super classes' class files, for inherited fields).
 *
 * <p>Advice only rewrites the bodies of existing methods: no field, no method, the class version kept, so the
 * same bytes serve retransformation on runtime attach. Every advice method suppresses any Throwable into
 * {@link HookDispatcher#adviceError}, which lives on the bootstrap class path like every call the advice makes.
 */
final class AdviceWeaver {
    private final Map<String, Prepared> byType = new HashMap<String, Prepared>();

    AdviceWeaver(List<TypeInstrumentation> instrumentations) {
        ClassFileLocator agentClasses = ClassFileLocator.ForClassLoader.of(AdviceWeaver.class.getClassLoader());
        TypePool agentTypes = TypePool.Default.of(agentClasses);
        MethodDescription adviceError = agentTypes.describe(HookDispatcher.class.getName()).resolve()
            .getDeclaredMethods().filter(named("adviceError")).getOnly();
        Advice.ExceptionHandler toAdviceErrors =
            new Advice.ExceptionHandler.Simple(MethodInvocation.invoke(adviceError));
        for (TypeInstrumentation instrumentation : instrumentations) {
            List<AsmVisitorWrapper> advice = new ArrayList<AsmVisitorWrapper>();
            for (MethodAdvice method : instrumentation.advice()) {
                TypeDescription adviceType = agentTypes.describe(method.adviceClass()).resolve();
                advice.add(Advice.to(adviceType, agentClasses).withExceptionHandler(toAdviceErrors)
                    .on(method.matcher()));
            }
            Prepared prepared = new Prepared(TypeShape.of(instrumentation, agentTypes),
                new AsmVisitorWrapper.Compound(advice));
            for (String typeName : instrumentation.typeNames()) {
                byType.put(typeName, prepared);
            }
        }
    }

    /**
     * The woven class file of {@code name}, or null when the class is of another shape than the advice needs
     * ({@code missing} then says what it lacks).
     */
    byte[] weave(String name, byte[] classFile, ClassLoader loader, List<String> missing) {
        Prepared prepared = byType.get(name);
        ClassFileLocator locator = new ClassFileLocator.Compound(ClassFileLocator.Simple.of(name, classFile),
            loader == null ? ClassFileLocator.ForClassLoader.ofBootLoader()
                : ClassFileLocator.ForClassLoader.of(loader));
        TypePool types = new TypePool.Default.WithLazyResolution(new TypePool.CacheProvider.Simple(), locator,
            TypePool.Default.ReaderMode.FAST);
        TypeDescription type = types.describe(name).resolve();
        missing.addAll(prepared.shape.missing(type));
        if (!missing.isEmpty()) {
            return null;
        }
        ClassReader reader = new ClassReader(classFile);
        AsmVisitorWrapper advice = prepared.advice;
        ClassWriter writer = new ClassWriter(reader, advice.mergeWriter(0));
        reader.accept(advice.wrap(type, writer, new NoAuxiliaryTypes(type, ClassFileVersion.ofClassFile(classFile)),
            types, type.getDeclaredFields(), type.getDeclaredMethods(), advice.mergeWriter(0), advice.mergeReader(0)),
            advice.mergeReader(0));
        return writer.toByteArray();
    }

    private static final class Prepared {
        final TypeShape shape;
        final AsmVisitorWrapper advice;

        Prepared(TypeShape shape, AsmVisitorWrapper advice) {
            this.shape = shape;
            this.advice = advice;
        }
    }

    /** Advice needs an implementation context only to refuse auxiliary types, which inlined advice never has. */
    private static final class NoAuxiliaryTypes extends Implementation.Context.Disabled {
        NoAuxiliaryTypes(TypeDescription type, ClassFileVersion version) {
            super(type, version, Implementation.Context.FrameGeneration.GENERATE);
        }
    }
}
