package dev.smtpwatch.instrumentation.javamail;

import static net.bytebuddy.matcher.ElementMatchers.named;
import static net.bytebuddy.matcher.ElementMatchers.returns;
import static net.bytebuddy.matcher.ElementMatchers.takesArgument;
import static net.bytebuddy.matcher.ElementMatchers.takesArguments;

import dev.smtpwatch.instrumentation.TypeInstrumentation;
import java.net.Socket;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import net.bytebuddy.asm.Advice;
import net.bytebuddy.description.method.MethodDescription;
import net.bytebuddy.matcher.ElementMatcher;

/**
 * The SMTP transport of javax.mail 1.4–1.6 and com.sun.mail jakarta.mail 2.0 ({@code com.sun.mail.smtp}) and of
 * Angus Mail ({@code org.eclipse.angus.mail.smtp}): one class shape across namespaces, matched by name and
 * method shape only, so no javax/jakarta type is referenced. {@code SMTPSSLTransport} inherits every hooked
 * method.
 */
public final class SmtpTransportInstrumentation implements TypeInstrumentation {
    @Override
    public List<String> typeNames() {
        return Arrays.asList("com.sun.mail.smtp.SMTPTransport", "org.eclipse.angus.mail.smtp.SMTPTransport");
    }

    @Override
    public List<String> requiredFields() {
        return Arrays.asList("serverSocket", "lastServerResponse", "name", "isSSL", "defaultPort");
    }

    @Override
    public Map<String, ElementMatcher<? super MethodDescription>> advice() {
        String self = SmtpTransportInstrumentation.class.getName();
        Map<String, ElementMatcher<? super MethodDescription>> advice =
            new LinkedHashMap<String, ElementMatcher<? super MethodDescription>>();
        advice.put(self + "$ConnectAdvice", protocolConnect());
        advice.put(self + "$CommandAdvice", sendCommand());
        advice.put(self + "$ReplyAdvice", readServerResponse());
        advice.put(self + "$SendAdvice", sendMessage());
        advice.put(self + "$CloseAdvice", closeConnection());
        return advice;
    }

    private static ElementMatcher.Junction<MethodDescription> protocolConnect() {
        return named("protocolConnect").and(takesArguments(String.class, int.class, String.class, String.class));
    }

    private static ElementMatcher.Junction<MethodDescription> sendCommand() {
        return named("sendCommand").and(takesArguments(byte[].class));
    }

    private static ElementMatcher.Junction<MethodDescription> readServerResponse() {
        return named("readServerResponse").and(takesArguments(0)).and(returns(int.class));
    }

    private static ElementMatcher.Junction<MethodDescription> sendMessage() {
        return named("sendMessage").and(takesArguments(2)).and(takesArgument(1, named("javax.mail.Address[]")
            .or(named("jakarta.mail.Address[]"))));
    }

    private static ElementMatcher.Junction<MethodDescription> closeConnection() {
        return named("closeConnection").and(takesArguments(0));
    }

    public static final class ConnectAdvice {
        private ConnectAdvice() {
        }

        @Advice.OnMethodEnter(suppress = Throwable.class)
        static void enter(@Advice.This Object transport, @Advice.Argument(0) String host, @Advice.Argument(1) int port,
                          @Advice.FieldValue("session") Object mailSession, @Advice.FieldValue("name") String protocol,
                          @Advice.FieldValue("isSSL") boolean ssl, @Advice.FieldValue("defaultPort") int defaultPort)
            throws ReflectiveOperationException {
            JavaMailHooks.connectStarted(transport, host, port, mailSession, protocol, ssl, defaultPort);
        }

        @Advice.OnMethodExit(onThrowable = Throwable.class, suppress = Throwable.class)
        static void exit(@Advice.This Object transport, @Advice.Return boolean connected,
                         @Advice.Thrown Throwable thrown, @Advice.FieldValue("lastServerResponse") String lastReply) {
            JavaMailHooks.connectEnded(transport, connected, thrown, lastReply);
        }
    }

    public static final class CommandAdvice {
        private CommandAdvice() {
        }

        @Advice.OnMethodEnter(suppress = Throwable.class)
        static void enter(@Advice.This Object transport, @Advice.Argument(0) byte[] line,
                          @Advice.FieldValue("serverSocket") Socket socket) {
            JavaMailHooks.commandSent(transport, line, socket);
        }
    }

    public static final class ReplyAdvice {
        private ReplyAdvice() {
        }

        @Advice.OnMethodExit(onThrowable = Throwable.class, suppress = Throwable.class)
        static void exit(@Advice.This Object transport, @Advice.Return int code, @Advice.Thrown Throwable thrown,
                         @Advice.FieldValue("lastServerResponse") String text,
                         @Advice.FieldValue("serverSocket") Socket socket) {
            JavaMailHooks.replyRead(transport, thrown == null ? code : -1, text, socket);
        }
    }

    public static final class SendAdvice {
        private SendAdvice() {
        }

        @Advice.OnMethodEnter(suppress = Throwable.class)
        static void enter(@Advice.This Object transport) {
            JavaMailHooks.sendStarted(transport);
        }

        @Advice.OnMethodExit(onThrowable = Throwable.class, suppress = Throwable.class)
        static void exit(@Advice.This Object transport, @Advice.Thrown Throwable thrown) {
            JavaMailHooks.sendEnded(transport, thrown);
        }
    }

    public static final class CloseAdvice {
        private CloseAdvice() {
        }

        @Advice.OnMethodExit(onThrowable = Throwable.class, suppress = Throwable.class)
        static void exit(@Advice.This Object transport) {
            JavaMailHooks.connectionClosed(transport);
        }
    }
}
