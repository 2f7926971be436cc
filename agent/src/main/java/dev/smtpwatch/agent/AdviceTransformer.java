package dev.smtpwatch.agent;

import static net.bytebuddy.matcher.ElementMatchers.named;

import dev.smtpwatch.instrumentation.AdviceErrors;
import dev.smtpwatch.instrumentation.TypeInstrumentation;
import java.lang.instrument.ClassFileTransformer;
import java.security.ProtectionDomain;
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
import net.bytebuddy.matcher.ElementMatcher;
import net.bytebuddy.pool.TypePool;
import org.slf4j.Logger;

/**
 * Weaves Byte Buddy {@link Advice} into the instrumented library classes as an ASM visitor over their class files.
 *
 * <p>Why not {@code AgentBuilder}: it wraps the same advice in Byte Buddy's full type-redefinition DSL, which
 * loads about 650 more classes; measured on the sample app, start-up to the first mail grew by ~400 ms with
 * it and by ~180 ms with this. Advice as a visitor only rewrites the bodies of existing methods, so the class
 * format never changes (no field, no method added) and the same bytes serve retransformation on runtime
 * attach. Every advice's Throwable goes to {@link AdviceErrors}: suppressed, and counted.
 */
final class AdviceTransformer implements ClassFileTransformer {
    private final Logger log;
    private final Map<String, Woven> byType = new HashMap<String, Woven>();

    AdviceTransformer(List<TypeInstrumentation> instrumentations, Logger log) throws NoSuchMethodException {
        this.log = log;
        ClassFileLocator agentClasses = ClassFileLocator.ForClassLoader.of(AdviceTransformer.class.getClassLoader());
        TypePool agentTypes = TypePool.Default.of(agentClasses);
        Advice.ExceptionHandler toAdviceErrors = new Advice.ExceptionHandler.Simple(MethodInvocation.invoke(
            new MethodDescription.ForLoadedMethod(AdviceErrors.class.getMethod("record", Throwable.class))));
        for (TypeInstrumentation instrumentation : instrumentations) {
            List<AsmVisitorWrapper> advice = new ArrayList<AsmVisitorWrapper>();
            for (Map.Entry<String, ElementMatcher<? super MethodDescription>> e : instrumentation.advice().entrySet()) {
                // Advice classes are described from their class files, never loaded into the agent's class loader.
                advice.add(Advice.to(agentTypes.describe(e.getKey()).resolve(), agentClasses)
                    .withExceptionHandler(toAdviceErrors)
                    .on(e.getValue()));
            }
            Woven woven = new Woven(instrumentation, new AsmVisitorWrapper.Compound(advice));
            for (String typeName : instrumentation.typeNames()) {
                byType.put(typeName, woven);
            }
        }
    }

    @Override
    public byte[] transform(ClassLoader loader, String internalName, Class<?> classBeingRedefined,
                            ProtectionDomain protectionDomain, byte[] classFile) {
        String name = internalName.replace('/', '.');
        Woven woven = byType.get(name);
        if (woven == null) {
            return null;
        }
        if (!seesAgentClasses(loader)) {
            log.debug("not instrumenting {}: its class loader {} cannot see the agent's classes", name, loader);
            return null;
        }
        try {
            ClassFileLocator locator = new ClassFileLocator.Compound(ClassFileLocator.Simple.of(name, classFile),
                loader == null ? ClassFileLocator.ForClassLoader.ofBootLoader() : ClassFileLocator.ForClassLoader.of(loader));
            TypePool types = new TypePool.Default.WithLazyResolution(new TypePool.CacheProvider.Simple(), locator,
                TypePool.Default.ReaderMode.FAST);
            TypeDescription type = types.describe(name).resolve();
            List<String> missing = missingMembers(type, woven.instrumentation);
            if (!missing.isEmpty()) {
                log.debug("not instrumenting {}: this library version has no {}; the app runs untouched", name, missing);
                return null;
            }
            AsmVisitorWrapper advice = woven.advice;
            ClassReader reader = new ClassReader(classFile);
            ClassWriter writer = new ClassWriter(reader, advice.mergeWriter(0));
            reader.accept(advice.wrap(type, writer, new NoAuxiliaryTypes(type, ClassFileVersion.ofClassFile(classFile)),
                types, type.getDeclaredFields(), type.getDeclaredMethods(), advice.mergeWriter(0),
                advice.mergeReader(0)), advice.mergeReader(0));
            log.debug("instrumented {}", name);
            return writer.toByteArray();
        } catch (Throwable t) {
            log.debug("could not instrument {} (the app runs untouched): {}", name, String.valueOf(t));
            return null;
        }
    }

    /**
     * Inlined advice calls our hooks by name from the library's class loader, and so does its exception handler:
     * a loader that does not delegate to ours (an isolated plugin loader, the bootstrap loader) would turn
     * every hooked call into a NoClassDefFoundError, so such a class is left alone.
     */
    private static boolean seesAgentClasses(ClassLoader loader) {
        if (loader == null) {
            return false;
        }
        try {
            return Class.forName(AdviceErrors.class.getName(), false, loader) == AdviceErrors.class;
        } catch (ClassNotFoundException | LinkageError notVisible) {
            return false;
        }
    }

    /** The methods and fields the advice needs; a library version of another shape is left alone. */
    private static List<String> missingMembers(TypeDescription type, TypeInstrumentation instrumentation) {
        List<String> missing = new ArrayList<String>();
        for (String field : instrumentation.requiredFields()) {
            if (type.getDeclaredFields().filter(named(field)).isEmpty()) {
                missing.add("field " + field);
            }
        }
        for (Map.Entry<String, ElementMatcher<? super MethodDescription>> e : instrumentation.advice().entrySet()) {
            if (type.getDeclaredMethods().filter(e.getValue()).isEmpty()) {
                missing.add("a method for " + e.getKey().substring(e.getKey().lastIndexOf('$') + 1));
            }
        }
        return missing;
    }

    private static final class Woven {
        final TypeInstrumentation instrumentation;
        final AsmVisitorWrapper advice;

        Woven(TypeInstrumentation instrumentation, AsmVisitorWrapper advice) {
            this.instrumentation = instrumentation;
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
