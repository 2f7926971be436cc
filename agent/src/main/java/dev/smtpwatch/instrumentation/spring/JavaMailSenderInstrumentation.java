package dev.smtpwatch.instrumentation.spring;

import static net.bytebuddy.matcher.ElementMatchers.named;
import static net.bytebuddy.matcher.ElementMatchers.returns;
import static net.bytebuddy.matcher.ElementMatchers.takesArguments;

import dev.smtpwatch.bootstrap.HookDispatcher;
import dev.smtpwatch.instrumentation.MethodAdvice;
import dev.smtpwatch.instrumentation.TypeInstrumentation;
import java.util.Arrays;
import java.util.Collections;
import java.util.List;
import net.bytebuddy.asm.Advice;

/**
 * Spring's {@code JavaMailSenderImpl}, in Spring 5.3 (javax.mail) and 6/7 (jakarta.mail): every {@code send}
 * overload ends in the protected {@code doSend(MimeMessage[], Object[])}, and {@code testConnection()} (Spring
 * Boot's mail health check) connects on its own. Each becomes the entry call of the sessions it opens.
 */
public final class JavaMailSenderInstrumentation implements TypeInstrumentation {
    public static final String SPRING_SENDER = "org.springframework.mail.javamail.JavaMailSenderImpl";
    private static final String SELF = JavaMailSenderInstrumentation.class.getName();

    @Override
    public List<String> typeNames() {
        return Collections.singletonList(SPRING_SENDER);
    }

    @Override
    public List<MethodAdvice> advice() {
        return Arrays.asList(
            MethodAdvice.of("doSend(MimeMessage[], Object[])", named("doSend").and(takesArguments(2)),
                SELF + "$SendAdvice"),
            MethodAdvice.of("void testConnection()", named("testConnection").and(takesArguments(0))
                .and(returns(void.class)), SELF + "$TestConnectionAdvice"));
    }

    public static final class SendAdvice {
        private SendAdvice() {
        }

        @Advice.OnMethodEnter(suppress = Throwable.class)
        static void enter(@Advice.This Object sender) {
            HookDispatcher.springSendStarted(sender);
        }

        @Advice.OnMethodExit(onThrowable = Throwable.class, suppress = Throwable.class)
        static void exit(@Advice.Thrown Throwable thrown) {
            HookDispatcher.springCallEnded(thrown);
        }
    }

    public static final class TestConnectionAdvice {
        private TestConnectionAdvice() {
        }

        @Advice.OnMethodEnter(suppress = Throwable.class)
        static void enter(@Advice.This Object sender) {
            HookDispatcher.springTestConnectionStarted(sender);
        }

        @Advice.OnMethodExit(onThrowable = Throwable.class, suppress = Throwable.class)
        static void exit(@Advice.Thrown Throwable thrown) {
            HookDispatcher.springCallEnded(thrown);
        }
    }
}
