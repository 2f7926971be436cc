package dev.smtpwatch.agent;

import static dev.smtpwatch.instrumentation.HookArg.argument;
import static dev.smtpwatch.instrumentation.HookArg.field;
import static dev.smtpwatch.instrumentation.HookArg.returnValue;
import static dev.smtpwatch.instrumentation.HookArg.self;
import static dev.smtpwatch.instrumentation.HookArg.thrown;
import static dev.smtpwatch.instrumentation.HookedMethod.method;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertSame;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.smtpwatch.instrumentation.AdviceErrors;
import dev.smtpwatch.instrumentation.Hook;
import dev.smtpwatch.instrumentation.HookArg;
import dev.smtpwatch.instrumentation.HookedMethod;
import dev.smtpwatch.instrumentation.TypeInstrumentation;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.PrintStream;
import java.io.UncheckedIOException;
import java.lang.reflect.InvocationTargetException;
import java.lang.reflect.Method;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Set;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.objectweb.asm.ClassReader;
import org.objectweb.asm.ClassVisitor;
import org.objectweb.asm.ClassWriter;
import org.objectweb.asm.Opcodes;

/**
 * The weaver on a small class compiled with this module (and the same class rewritten as a Java 5 class file
 * without frames): woven, defined in a class loader of its own (so the JVM verifies it), and called.
 */
class HookWeaverTest {
    private static final String TARGET = WeaverTarget.class.getName();

    @BeforeEach
    void reset() {
        Hooks.calls.clear();
        Hooks.failing = false;
    }

    @Test
    void enterAndExitHooksSeeArgumentsFieldsAndTheReturnValue() throws Exception {
        for (Class<?> target : List.of(woven(classFile()), woven(java5(classFile())))) {
            Hooks.calls.clear();
            Object instance = newInstance(target);
            assertEquals(5L, call(target, instance, "length", "hello", 7L));
            assertEquals(List.of("enter hello 7 label", "exit 5 null"), Hooks.calls);
        }
    }

    @Test
    void exitHookRunsOnExceptionalExitWithTheDefaultReturnValueAndTheSameThrowableIsRethrown() throws Exception {
        for (Class<?> target : List.of(woven(classFile()), woven(java5(classFile())))) {
            Hooks.calls.clear();
            Object instance = newInstance(target);
            InvocationTargetException e = assertThrows(InvocationTargetException.class,
                () -> call(target, instance, "length", null, 1L));
            assertTrue(e.getCause() instanceof IllegalStateException, e::toString);
            assertEquals(List.of("enter null 1 label", "exit 0 " + e.getCause()), Hooks.calls);
        }
    }

    @Test
    void aThrowingHookIsCountedAndNeverChangesWhatTheMethodDoes() throws Exception {
        Class<?> target = woven(classFile());
        Object instance = newInstance(target);
        Hooks.failing = true;
        long before = AdviceErrors.count();
        // caught() has its own catch (RuntimeException): a hook's exception must not land there either
        assertEquals("body", call(target, instance, "caught"));
        assertEquals(5L, call(target, instance, "length", "hello", 7L));
        assertEquals(before + 4, AdviceErrors.count());
    }

    @Test
    void hooksTheClassLoaderCannotSeeAreSwallowedToo() throws Exception {
        // Neither the hooks nor AdviceErrors resolve: NoClassDefFoundError in the hook call and in its guard.
        Class<?> target = define(weave(classFile()), Hooks.class.getName(), AdviceErrors.class.getName());
        Object instance = newInstance(target);
        assertEquals(5L, call(target, instance, "length", "hello", 7L));
        assertEquals("body", call(target, instance, "caught"));
        assertEquals(List.of(), Hooks.calls);
    }

    @Test
    void theClassKeepsItsVersionFieldsAndMethods() throws Exception {
        for (byte[] original : List.of(classFile(), java5(classFile()))) {
            byte[] woven = weave(original);
            assertEquals(new ClassReader(original).readUnsignedShort(6), new ClassReader(woven).readUnsignedShort(6));
            assertEquals(members(original), members(woven));
        }
    }

    @Test
    void aClassOfAnotherShapeIsLeftUntouchedWithADebugLine() throws Exception {
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        TypeInstrumentation other = instrumentation(
            method("length", "java.lang.String", "long").onEnter(Hook.call(Hooks.class, "entered", self(),
                argument(0), argument(1), field("noSuchField"))),
            method("absent"));
        HookTransformer transformer = new HookTransformer(List.of(other),
            AgentLog.create(true, new PrintStream(out, true, StandardCharsets.UTF_8)));
        assertNull(transformer.transform(loader(), TARGET.replace('.', '/'), null, null, classFile()));
        assertEquals("DEBUG smtpwatch not instrumenting " + TARGET + ": this library version has no [field "
            + "noSuchField, method * absent()]; the app runs untouched", out.toString(StandardCharsets.UTF_8).trim());
    }

    private static TypeInstrumentation instrumentation(HookedMethod... methods) {
        return new TypeInstrumentation() {
            @Override
            public List<String> typeNames() {
                return List.of(TARGET);
            }

            @Override
            public List<HookedMethod> methods() {
                return Arrays.asList(methods);
            }
        };
    }

    private static TypeInstrumentation hooks() {
        HookArg[] exit = {self(), returnValue(), thrown()};
        return instrumentation(
            method("length", "java.lang.String", "long").returns("long")
                .onEnter(Hook.call(Hooks.class, "entered", self(), argument(0), argument(1), field("label")))
                .onExit(Hook.call(Hooks.class, "exited", exit)),
            method("caught").returns("java.lang.String")
                .onEnter(Hook.call(Hooks.class, "entered", self(), field("label"), field("zero"), field("label")))
                .onExit(Hook.call(Hooks.class, "exitedWithText", exit)));
    }

    private static byte[] weave(byte[] classFile) {
        byte[] woven = new HookTransformer(List.of(hooks()), AgentLog.create(false))
            .transform(loader(), TARGET.replace('.', '/'), null, null, classFile);
        assertNotNull(woven, "not woven");
        return woven;
    }

    private static Class<?> woven(byte[] classFile) throws ClassNotFoundException {
        return define(weave(classFile));
    }

    /** Defines the target from {@code classFile} in a loader of its own that hides {@code hidden} classes. */
    private static Class<?> define(byte[] classFile, String... hidden) throws ClassNotFoundException {
        Set<String> hiddenNames = Set.of(hidden);
        ClassLoader loader = new ClassLoader(loader()) {
            @Override
            protected Class<?> loadClass(String name, boolean resolve) throws ClassNotFoundException {
                if (hiddenNames.contains(name)) {
                    throw new ClassNotFoundException(name);
                }
                // The superclass too: package-private, it must be in the same run-time package.
                byte[] bytes = name.equals(TARGET) ? classFile
                    : name.equals(WeaverTargetBase.class.getName()) ? classFile(name) : null;
                if (bytes != null) {
                    synchronized (getClassLoadingLock(name)) {
                        Class<?> loaded = findLoadedClass(name);
                        return loaded != null ? loaded : defineClass(name, bytes, 0, bytes.length);
                    }
                }
                return super.loadClass(name, resolve);
            }
        };
        Class<?> target = Class.forName(TARGET, true, loader);
        assertSame(loader, target.getClassLoader());
        return target;
    }

    /** The class is package-private in a run-time package of its own: reflection needs setAccessible. */
    private static Object newInstance(Class<?> target) throws Exception {
        java.lang.reflect.Constructor<?> constructor = target.getDeclaredConstructor();
        constructor.setAccessible(true);
        return constructor.newInstance();
    }

    private static Object call(Class<?> target, Object instance, String name, Object... args) throws Exception {
        for (Method m : target.getDeclaredMethods()) {
            if (m.getName().equals(name)) {
                m.setAccessible(true);
                return m.invoke(instance, args);
            }
        }
        throw new NoSuchMethodException(name);
    }

    private static ClassLoader loader() {
        return HookWeaverTest.class.getClassLoader();
    }

    private static byte[] classFile() {
        return classFile(TARGET);
    }

    private static byte[] classFile(String className) {
        try (InputStream in = loader().getResourceAsStream(className.replace('.', '/') + ".class")) {
            return in.readAllBytes();
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    /** The same class as a Java 5 class file: no stack map frames. */
    private static byte[] java5(byte[] classFile) {
        ClassWriter writer = new ClassWriter(0);
        new ClassReader(classFile).accept(new ClassVisitor(Opcodes.ASM9, writer) {
            @Override
            public void visit(int version, int access, String name, String signature, String superName,
                              String[] interfaces) {
                super.visit(Opcodes.V1_5, access, name, signature, superName, interfaces);
            }
        }, ClassReader.SKIP_FRAMES);
        return writer.toByteArray();
    }

    private static List<String> members(byte[] classFile) {
        ClassHierarchy.Members members = new ClassHierarchy.Members();
        new ClassReader(classFile).accept(members, ClassReader.SKIP_CODE);
        List<String> names = new ArrayList<>();
        for (ClassHierarchy.Member m : members.fields) {
            names.add(m.access + " " + m.name + m.descriptor);
        }
        for (ClassHierarchy.Member m : members.methods) {
            names.add(m.access + " " + m.name + m.descriptor);
        }
        return names;
    }

    /** The hooks the woven target calls. */
    public static final class Hooks {
        static final List<String> calls = new ArrayList<>();
        static volatile boolean failing;

        private Hooks() {
        }

        public static void entered(Object target, String text, long number, String label) {
            fail();
            calls.add("enter " + text + " " + number + " " + label);
        }

        public static void exited(Object target, long result, Throwable thrown) {
            fail();
            calls.add("exit " + result + " " + thrown);
        }

        public static int exitedWithText(Object target, Object result, Throwable thrown) {
            fail();
            calls.add("exit " + result + " " + thrown);
            return 1;
        }

        private static void fail() {
            if (failing) {
                throw new IllegalStateException("hook failure");
            }
        }
    }
}

/** What the test weaves: a field of its superclass, a method that throws, one with its own catch. */
class WeaverTarget extends WeaverTargetBase {
    public WeaverTarget() {
    }

    long length(String text, long pad) {
        if (text == null) {
            throw new IllegalStateException("no text");
        }
        return text.length();
    }

    String caught() {
        try {
            return body();
        } catch (RuntimeException e) {
            return "handler";
        }
    }

    private String body() {
        return "body";
    }
}

class WeaverTargetBase {
    protected String label = "label";
    protected long zero;
}
