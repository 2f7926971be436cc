package dev.smtpwatch.instrumentation.spring;

import static dev.smtpwatch.instrumentation.HookArg.self;
import static dev.smtpwatch.instrumentation.HookArg.thrown;
import static dev.smtpwatch.instrumentation.HookedMethod.method;

import dev.smtpwatch.instrumentation.Hook;
import dev.smtpwatch.instrumentation.HookedMethod;
import dev.smtpwatch.instrumentation.TypeInstrumentation;
import java.util.Arrays;
import java.util.Collections;
import java.util.List;

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
    public List<HookedMethod> methods() {
        Hook ended = Hook.call(SpringHooks.class, "callEnded", thrown());
        return Arrays.asList(
            method("doSend", "*", "*")
                .onEnter(Hook.call(SpringHooks.class, "sendStarted", self()))
                .onExit(ended),
            method("testConnection").returns("void")
                .onEnter(Hook.call(SpringHooks.class, "testConnectionStarted", self()))
                .onExit(ended));
    }
}
