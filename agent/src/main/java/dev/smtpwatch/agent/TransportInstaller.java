package dev.smtpwatch.agent;

import static net.bytebuddy.matcher.ElementMatchers.nameStartsWith;
import static net.bytebuddy.matcher.ElementMatchers.named;
import static net.bytebuddy.matcher.ElementMatchers.not;

import dev.smtpwatch.instrumentation.AdviceErrors;
import dev.smtpwatch.instrumentation.javamail.SmtpTransportInstrumentation;
import java.lang.instrument.Instrumentation;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import net.bytebuddy.ByteBuddy;
import net.bytebuddy.agent.builder.AgentBuilder;
import net.bytebuddy.asm.Advice;
import net.bytebuddy.description.method.MethodDescription;
import net.bytebuddy.description.type.TypeDescription;
import net.bytebuddy.dynamic.DynamicType;
import net.bytebuddy.dynamic.scaffold.TypeValidation;
import net.bytebuddy.implementation.bytecode.member.MethodInvocation;
import net.bytebuddy.matcher.ElementMatcher;
import net.bytebuddy.utility.JavaModule;
import org.slf4j.Logger;

/**
 * Installs the advice with Byte Buddy. Kept cheap for start-up: the ignore matcher looks at class names only,
 * so no other class file is ever parsed; advice is inlined (no class format change), so runtime attach can
 * retransform classes the app has already loaded.
 */
final class TransportInstaller {
    private static final String ADVICE = SmtpTransportInstrumentation.class.getName();

    private final Logger log;

    TransportInstaller(Logger log) {
        this.log = log;
    }

    void install(Instrumentation instrumentation) throws NoSuchMethodException {
        MethodDescription record = new MethodDescription.ForLoadedMethod(
            AdviceErrors.class.getMethod("record", Throwable.class));
        new AgentBuilder.Default(new ByteBuddy().with(TypeValidation.DISABLED))
            .disableClassFormatChanges()
            .with(AgentBuilder.RedefinitionStrategy.RETRANSFORMATION)
            .with(new DiagnosticsListener(log))
            .ignore(not(nameStartsWith("com.sun.mail.smtp.").or(nameStartsWith("org.eclipse.angus.mail.smtp."))))
            .type(SmtpTransportInstrumentation.transportTypes().and(new RequiredShape(log)))
            .transform(new AgentBuilder.Transformer.ForAdvice()
                .include(TransportInstaller.class.getClassLoader())
                .withExceptionHandler(new Advice.ExceptionHandler.Simple(MethodInvocation.invoke(record)))
                .advice(SmtpTransportInstrumentation.protocolConnect(), ADVICE + "$ConnectAdvice")
                .advice(SmtpTransportInstrumentation.sendCommand(), ADVICE + "$CommandAdvice")
                .advice(SmtpTransportInstrumentation.readServerResponse(), ADVICE + "$ReplyAdvice")
                .advice(SmtpTransportInstrumentation.sendMessage(), ADVICE + "$SendAdvice")
                .advice(SmtpTransportInstrumentation.closeConnection(), ADVICE + "$CloseAdvice"))
            .installOn(instrumentation);
    }

    /**
     * Matches only a transport that has every method and field the advice needs; a library version of another
     * shape is left untouched, and with {@code debug=on} we say why, once per class.
     */
    private static final class RequiredShape extends ElementMatcher.Junction.AbstractBase<TypeDescription> {
        private final Logger log;
        private final Set<String> reported = ConcurrentHashMap.newKeySet();

        RequiredShape(Logger log) {
            this.log = log;
        }

        @Override
        public boolean matches(TypeDescription type) {
            List<String> missing = new ArrayList<String>();
            for (String field : SmtpTransportInstrumentation.REQUIRED_FIELDS) {
                if (type.getDeclaredFields().filter(named(field)).isEmpty()) {
                    missing.add("field " + field);
                }
            }
            requireMethod(type, SmtpTransportInstrumentation.protocolConnect(), "protocolConnect", missing);
            requireMethod(type, SmtpTransportInstrumentation.sendCommand(), "sendCommand(byte[])", missing);
            requireMethod(type, SmtpTransportInstrumentation.readServerResponse(), "readServerResponse()", missing);
            requireMethod(type, SmtpTransportInstrumentation.sendMessage(), "sendMessage", missing);
            requireMethod(type, SmtpTransportInstrumentation.closeConnection(), "closeConnection()", missing);
            if (!missing.isEmpty() && reported.add(type.getName())) {
                log.debug("not instrumenting {}: this library version has no {}; the app runs untouched",
                    type.getName(), missing);
            }
            return missing.isEmpty();
        }

        private static void requireMethod(TypeDescription type, ElementMatcher<? super MethodDescription> shape,
                                          String name, List<String> missing) {
            if (type.getDeclaredMethods().filter(shape).isEmpty()) {
                missing.add("method " + name);
            }
        }
    }

    /** With {@code debug=on}: what was instrumented, and every transformation error. */
    private static final class DiagnosticsListener extends AgentBuilder.Listener.Adapter {
        private final Logger log;

        DiagnosticsListener(Logger log) {
            this.log = log;
        }

        @Override
        public void onTransformation(TypeDescription type, ClassLoader loader, JavaModule module, boolean loaded,
                                     DynamicType dynamicType) {
            log.debug("instrumented {}", type.getName());
        }

        @Override
        public void onError(String typeName, ClassLoader loader, JavaModule module, boolean loaded,
                            Throwable throwable) {
            log.debug("could not instrument {} (the app runs untouched): {}", typeName, String.valueOf(throwable));
        }
    }
}
