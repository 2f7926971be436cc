package dev.smtpwatch.instrumentation.spring;

import static net.bytebuddy.matcher.ElementMatchers.named;
import static net.bytebuddy.matcher.ElementMatchers.takesArguments;

import dev.smtpwatch.instrumentation.TypeInstrumentation;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import net.bytebuddy.asm.Advice;
import net.bytebuddy.description.method.MethodDescription;
import net.bytebuddy.matcher.ElementMatcher;

/**
 * Spring's {@code JavaMailSenderImpl}, in Spring 5.3 (javax.mail) and 6/7 (jakarta.mail): every {@code send}
 * overload ends in the protected {@code doSend(MimeMessage[], Object[])}, and {@code testConnection()} (Spring
 * Boot's mail health check) connects on its own. Each becomes the entry call of the sessions it opens.
 */
public final class JavaMailSenderInstrumentation implements TypeInstrumentation {
    @Override
    public List<String> typeNames() {
        return Collections.singletonList("org.springframework.mail.javamail.JavaMailSenderImpl");
    }

    @Override
    public List<String> requiredFields() {
        return Collections.emptyList();
    }

    @Override
    public Map<String, ElementMatcher<? super MethodDescription>> advice() {
        String self = JavaMailSenderInstrumentation.class.getName();
        Map<String, ElementMatcher<? super MethodDescription>> advice =
            new LinkedHashMap<String, ElementMatcher<? super MethodDescription>>();
        advice.put(self + "$SendAdvice", named("doSend").and(takesArguments(2)));
        advice.put(self + "$TestConnectionAdvice", named("testConnection").and(takesArguments(0)));
        return advice;
    }

    public static final class SendAdvice {
        private SendAdvice() {
        }

        @Advice.OnMethodEnter(suppress = Throwable.class)
        static void enter(@Advice.This Object sender) {
            SpringHooks.sendStarted(sender);
        }

        @Advice.OnMethodExit(onThrowable = Throwable.class, suppress = Throwable.class)
        static void exit(@Advice.Thrown Throwable thrown) {
            SpringHooks.callEnded(thrown);
        }
    }

    public static final class TestConnectionAdvice {
        private TestConnectionAdvice() {
        }

        @Advice.OnMethodEnter(suppress = Throwable.class)
        static void enter(@Advice.This Object sender) {
            SpringHooks.testConnectionStarted(sender);
        }

        @Advice.OnMethodExit(onThrowable = Throwable.class, suppress = Throwable.class)
        static void exit(@Advice.Thrown Throwable thrown) {
            SpringHooks.callEnded(thrown);
        }
    }
}
