package dev.smtpwatch.agent;

import dev.smtpwatch.instrumentation.AdviceErrors;
import dev.smtpwatch.instrumentation.Hook;
import dev.smtpwatch.instrumentation.HookedMethod;
import dev.smtpwatch.instrumentation.TypeInstrumentation;
import java.lang.instrument.ClassFileTransformer;
import java.security.ProtectionDomain;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import org.objectweb.asm.ClassReader;
import org.slf4j.Logger;

/**
 * Weaves the hooks the instrumentation packages declare into the classes they name, with {@link HookWeaver} on
 * plain ASM. Hook methods are resolved once, here; a class whose shape does not fit (a method, a field or a type
 * missing) is left untouched with a {@code debug=on} line, and so is any class the weaving fails on.
 */
final class HookTransformer implements ClassFileTransformer {
    private final Logger log;
    private final Map<String, List<HookedMethod>> byType = new HashMap<String, List<HookedMethod>>();
    private final Map<Hook, HookWeaver.HookCall> calls = new HashMap<Hook, HookWeaver.HookCall>();

    HookTransformer(List<TypeInstrumentation> instrumentations, Logger log) {
        this.log = log;
        for (TypeInstrumentation instrumentation : instrumentations) {
            List<HookedMethod> methods = instrumentation.methods();
            for (HookedMethod method : methods) {
                for (Hook hook : new Hook[] {method.enter(), method.exit()}) {
                    if (hook != null) {
                        calls.put(hook, HookWeaver.HookCall.resolve(hook));
                    }
                }
            }
            for (String typeName : instrumentation.typeNames()) {
                byType.put(typeName.replace('.', '/'), methods);
            }
        }
    }

    /** Whether {@code className} (binary name) is one we instrument. */
    boolean wants(String className) {
        return byType.containsKey(className.replace('.', '/'));
    }

    @Override
    public byte[] transform(ClassLoader loader, String internalName, Class<?> classBeingRedefined,
                            ProtectionDomain protectionDomain, byte[] classFile) {
        List<HookedMethod> methods = byType.get(internalName);
        if (methods == null) {
            return null;
        }
        String name = internalName.replace('/', '.');
        if (!seesAgentClasses(loader)) {
            log.debug("not instrumenting {}: its class loader {} cannot see the agent's classes", name, loader);
            return null;
        }
        try {
            ClassReader reader = new ClassReader(classFile);
            HookWeaver weaver = new HookWeaver(internalName, methods, calls,
                new ClassHierarchy(loader, internalName, reader));
            if (!weaver.missing().isEmpty()) {
                log.debug("not instrumenting {}: this library version has no {}; the app runs untouched", name,
                    weaver.missing());
                return null;
            }
            byte[] woven = weaver.weave(reader);
            log.debug("instrumented {}", name);
            return woven;
        } catch (Throwable t) {
            log.debug("could not instrument {} (the app runs untouched): {}", name, String.valueOf(t));
            return null;
        }
    }

    /**
     * The woven calls name our hooks from the library's class loader, and so do their guards: a loader that does
     * not delegate to ours (an isolated plugin loader, the bootstrap loader) would turn every hooked call into a
     * NoClassDefFoundError, so such a class is left alone.
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
}
