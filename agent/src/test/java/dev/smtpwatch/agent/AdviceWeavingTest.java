package dev.smtpwatch.agent;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.smtpwatch.instrumentation.AdviceErrors;
import dev.smtpwatch.instrumentation.Instrumentations;
import dev.smtpwatch.instrumentation.javamail.JavaMailHooks;
import dev.smtpwatch.session.EntryCall;
import dev.smtpwatch.session.SessionRecorder;
import dev.smtpwatch.session.SessionSink;
import dev.smtpwatch.session.SmtpSession;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.PrintStream;
import java.io.PrintWriter;
import java.io.StringWriter;
import java.lang.instrument.Instrumentation;
import java.lang.reflect.InvocationTargetException;
import java.net.ServerSocket;
import java.net.Socket;
import java.net.URL;
import java.net.URLClassLoader;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.Paths;
import java.util.ArrayList;
import java.util.List;
import java.util.Properties;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.stream.Stream;
import net.bytebuddy.agent.ByteBuddyAgent;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;
import org.objectweb.asm.ClassReader;
import org.objectweb.asm.ClassVisitor;
import org.objectweb.asm.ClassWriter;
import org.objectweb.asm.MethodVisitor;
import org.objectweb.asm.Opcodes;
import org.objectweb.asm.util.CheckClassAdapter;

/**
 * The real {@code SMTPTransport} / {@code JavaMailSenderImpl} class files of every supported library version
 * (target/library-jars, copied by the build) woven and checked by ASM's verifier; a woven transport run in this
 * JVM through {@link ByteBuddyAgent#install()}; a class of another shape left untouched with one WARN.
 */
class AdviceWeavingTest {
    private static final Path JARS = Paths.get("target", "library-jars");
    private static final String JAKARTA_MAIL_API = "jakarta.mail-api-2.1.5.jar";
    private static final String JAKARTA_ACTIVATION = "jakarta.activation-api-2.1.4.jar";
    private static final String DISPATCHER = "dev/smtpwatch/bootstrap/HookDispatcher";

    private long adviceErrorsBefore;

    @BeforeEach
    void countAdviceErrors() {
        adviceErrorsBefore = AdviceErrors.count();
    }

    @AfterEach
    void noAdviceErrors() {
        assertEquals(adviceErrorsBefore, AdviceErrors.count(), "advice threw (suppressed)");
    }

    static Stream<Arguments> libraries() {
        String sun = "com.sun.mail.smtp.SMTPTransport";
        String angus = "org.eclipse.angus.mail.smtp.SMTPTransport";
        String spring = "org.springframework.mail.javamail.JavaMailSenderImpl";
        return Stream.of(
            Arguments.of("javax.mail-1.4.7.jar", sun, List.of(), 5),
            Arguments.of("javax.mail-1.6.2.jar", sun, List.of(), 5),
            Arguments.of("jakarta.mail-2.0.1.jar", sun, List.of(), 5),
            Arguments.of("angus-mail-1.1.0.jar", sun, List.of(JAKARTA_MAIL_API, JAKARTA_ACTIVATION), 5),
            Arguments.of("angus-mail-2.0.5.jar", angus, List.of(JAKARTA_MAIL_API, JAKARTA_ACTIVATION), 5),
            Arguments.of("spring-context-support-5.3.39.jar", spring, List.of("spring-core-5.3.39.jar",
                "spring-beans-5.3.39.jar", "javax.mail-1.6.2.jar", "javax.activation-1.2.0.jar"), 2),
            Arguments.of("spring-context-support-6.2.19.jar", spring, List.of("spring-core-6.2.19.jar",
                "spring-beans-6.2.19.jar", JAKARTA_MAIL_API, JAKARTA_ACTIVATION), 2));
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("libraries")
    void everySupportedVersionIsWovenIntoAClassTheVerifierAccepts(String jar, String className, List<String> api,
                                                                   int hookedMethods) throws Exception {
        try (URLClassLoader library = libraryLoader(jar, api)) {
            byte[] original = classFile(library, className);
            List<String> missing = new ArrayList<>();
            byte[] woven = new AdviceWeaver(Instrumentations.all())
                .weave(className, original, library, missing);

            assertEquals(List.of(), missing);
            assertNotNull(woven);
            StringWriter problems = new StringWriter();
            CheckClassAdapter.verify(new ClassReader(woven), library, false, new PrintWriter(problems));
            assertEquals("", problems.toString());
            Shape before = Shape.of(original);
            Shape after = Shape.of(woven);
            assertEquals(before.version, after.version, "class version");
            assertEquals(before.members, after.members, "fields and methods");
            assertEquals(hookedMethods, after.methodsCallingDispatcher.size(), after.methodsCallingDispatcher::toString);
        }
    }

    @Test
    void aTransportWovenInThisJvmRecordsItsSession() throws Exception {
        Instrumentation instrumentation = ByteBuddyAgent.install();
        HookTransformer transformer = new HookTransformer(instrumentation, new DeferredLog(false), () -> { });
        List<SmtpSession> sessions = new CopyOnWriteArrayList<>();
        JavaMailHooks.install(new SessionRecorder(new SessionSink() {
            @Override
            public void sessionEnded(SmtpSession session) {
                sessions.add(session);
            }

            @Override
            public void entryEnded(EntryCall entry) {
            }

            // SessionSink's since issue 10; without @Override so that this compiles before and after that change
            public void connectAbandoned(SmtpSession attempt) {
            }
        }, true, 100));
        instrumentation.addTransformer(transformer, true);
        try (URLClassLoader library = libraryLoader("javax.mail-1.6.2.jar", List.of());
             ServerSocket server = new ServerSocket(0)) {
            Thread refuser = new Thread(() -> {
                try (Socket client = server.accept()) {
                    client.getOutputStream().write("554 no service here\r\n".getBytes(StandardCharsets.US_ASCII));
                } catch (IOException ignored) {
                    // the test fails on its own assertions
                }
            });
            refuser.start();
            Class<?> sessionClass = library.loadClass("javax.mail.Session");
            Object mailSession = sessionClass.getMethod("getInstance", Properties.class).invoke(null, new Properties());
            Object transport = sessionClass.getMethod("getTransport", String.class).invoke(mailSession, "smtp");
            InvocationTargetException refused = assertThrows(InvocationTargetException.class, () -> transport
                .getClass().getMethod("connect", String.class, int.class, String.class, String.class)
                .invoke(transport, "localhost", server.getLocalPort(), null, null));
            assertTrue(refused.getCause().getClass().getName().startsWith("javax.mail."), refused::toString);
            refuser.join();
        } finally {
            instrumentation.removeTransformer(transformer);
            JavaMailHooks.install(null);
        }
        assertEquals(1, sessions.size(), sessions::toString);
        assertEquals(554, sessions.get(0).greeting());
        assertEquals("javax.mail", sessions.get(0).library().name());
    }

    @Test
    void aClassOfAnotherShapeIsLeftUntouchedWithOneWarnNamingWhatItLacks() throws Exception {
        ByteArrayOutputStream log = new ByteArrayOutputStream();
        HookTransformer transformer = new HookTransformer(ByteBuddyAgent.install(),
            new DeferredLog(false, new PrintStream(log, true, StandardCharsets.UTF_8)), () -> { });
        try (URLClassLoader library = libraryLoader("javax.mail-1.6.2.jar", List.of())) {
            byte[] withoutReadServerResponse = withoutMethod(
                classFile(library, "com.sun.mail.smtp.SMTPTransport"), "readServerResponse");
            for (int load = 0; load < 2; load++) {
                assertNull(transformer.transform(library, "com/sun/mail/smtp/SMTPTransport", null, null,
                    withoutReadServerResponse));
            }
        }
        assertEquals("WARN smtpwatch not instrumenting com.sun.mail.smtp.SMTPTransport: this library version has no "
            + "method int readServerResponse(); its mail sessions are not recorded\n", log.toString(StandardCharsets.UTF_8));
    }

    @Test
    void everyOtherClassIsNotLookedAt() throws Exception {
        HookTransformer transformer = new HookTransformer(null, new DeferredLog(false), () -> { });
        assertNull(transformer.transform(getClass().getClassLoader(), "com/sun/mail/smtp/SMTPSSLTransport", null,
            null, new byte[0]));
        assertNull(transformer.transform(null, null, null, null, new byte[0]));
    }

    private static URLClassLoader libraryLoader(String jar, List<String> api) throws IOException {
        List<URL> urls = new ArrayList<>();
        for (String name : Stream.concat(Stream.of(jar), api.stream()).toList()) {
            Path file = JARS.resolve(name);
            assertTrue(Files.isRegularFile(file), () -> file + " is missing (copied by mvn generate-test-resources)");
            urls.add(file.toUri().toURL());
        }
        return new URLClassLoader(urls.toArray(new URL[0]), AdviceWeavingTest.class.getClassLoader());
    }

    private static byte[] classFile(ClassLoader loader, String className) throws IOException {
        try (InputStream in = loader.getResourceAsStream(className.replace('.', '/') + ".class")) {
            assertNotNull(in, className);
            return in.readAllBytes();
        }
    }

    private static byte[] withoutMethod(byte[] classFile, String method) {
        ClassWriter writer = new ClassWriter(0);
        new ClassReader(classFile).accept(new ClassVisitor(Opcodes.ASM9, writer) {
            @Override
            public MethodVisitor visitMethod(int access, String name, String descriptor, String signature,
                                             String[] exceptions) {
                return name.equals(method) ? null : super.visitMethod(access, name, descriptor, signature, exceptions);
            }
        }, 0);
        return writer.toByteArray();
    }

    /** What weaving must not change (version, members) and where it put dispatcher calls. */
    private static final class Shape {
        int version;
        final List<String> members = new ArrayList<>();
        final List<String> methodsCallingDispatcher = new ArrayList<>();

        static Shape of(byte[] classFile) {
            Shape shape = new Shape();
            new ClassReader(classFile).accept(new ClassVisitor(Opcodes.ASM9) {
                @Override
                public void visit(int version, int access, String name, String signature, String superName,
                                  String[] interfaces) {
                    shape.version = version;
                }

                @Override
                public org.objectweb.asm.FieldVisitor visitField(int access, String name, String descriptor,
                                                                 String signature, Object value) {
                    shape.members.add(name + " " + descriptor);
                    return null;
                }

                @Override
                public MethodVisitor visitMethod(int access, String name, String descriptor, String signature,
                                                 String[] exceptions) {
                    shape.members.add(name + descriptor);
                    return new MethodVisitor(Opcodes.ASM9) {
                        @Override
                        public void visitMethodInsn(int opcode, String owner, String callee, String calleeDescriptor,
                                                    boolean isInterface) {
                            if (owner.equals(DISPATCHER) && !callee.equals("adviceError")
                                && !shape.methodsCallingDispatcher.contains(name + descriptor)) {
                                shape.methodsCallingDispatcher.add(name + descriptor);
                            }
                        }
                    };
                }
            }, 0);
            return shape;
        }
    }
}
