package dev.smtpwatch.instrumentation.javamail;

import static dev.smtpwatch.instrumentation.HookArg.argument;
import static dev.smtpwatch.instrumentation.HookArg.field;
import static dev.smtpwatch.instrumentation.HookArg.returnValue;
import static dev.smtpwatch.instrumentation.HookArg.self;
import static dev.smtpwatch.instrumentation.HookArg.thrown;
import static dev.smtpwatch.instrumentation.HookedMethod.method;

import dev.smtpwatch.instrumentation.Hook;
import dev.smtpwatch.instrumentation.HookArg;
import dev.smtpwatch.instrumentation.HookedMethod;
import dev.smtpwatch.instrumentation.TypeInstrumentation;
import java.util.Arrays;
import java.util.List;

/**
 * The SMTP transport of javax.mail 1.4–1.6 and com.sun.mail jakarta.mail 2.0 ({@code com.sun.mail.smtp}) and of
 * Angus Mail ({@code org.eclipse.angus.mail.smtp}): one class shape across namespaces, matched by name and
 * method shape only, so no javax/jakarta type is referenced. {@code SMTPSSLTransport} inherits every hooked
 * method. {@code session} is the protected field of {@code Service}, the others are the transport's own.
 */
public final class SmtpTransportInstrumentation implements TypeInstrumentation {
    @Override
    public List<String> typeNames() {
        return Arrays.asList("com.sun.mail.smtp.SMTPTransport", "org.eclipse.angus.mail.smtp.SMTPTransport");
    }

    @Override
    public List<HookedMethod> methods() {
        return Arrays.asList(
            method("protocolConnect", "java.lang.String", "int", "java.lang.String", "java.lang.String")
                .returns("boolean")
                .onEnter(hook("connectStarted", self(), argument(0), argument(1), field("session"), field("name"),
                    field("isSSL"), field("defaultPort"), argument(2), argument(3)))
                .onExit(hook("connectEnded", self(), returnValue(), thrown(), field("lastServerResponse"))),
            method("sendCommand", "byte[]").returns("void")
                .onEnter(hook("commandSent", self(), argument(0), field("serverSocket"))),
            method("readServerResponse").returns("int")
                .onExit(hook("replyRead", self(), returnValue(), thrown(), field("lastServerResponse"),
                    field("serverSocket"))),
            method("sendMessage", "*", "javax.mail.Address[]|jakarta.mail.Address[]")
                .onEnter(hook("sendStarted", self()))
                .onExit(hook("sendEnded", self(), thrown())),
            method("closeConnection").returns("void")
                .onExit(hook("connectionClosed", self())));
    }

    private static Hook hook(String method, HookArg... args) {
        return Hook.call(JavaMailHooks.class, method, args);
    }
}
