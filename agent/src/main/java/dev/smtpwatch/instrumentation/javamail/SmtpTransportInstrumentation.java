package dev.smtpwatch.instrumentation.javamail;

import static net.bytebuddy.matcher.ElementMatchers.isConstructor;
import static net.bytebuddy.matcher.ElementMatchers.named;
import static net.bytebuddy.matcher.ElementMatchers.returns;
import static net.bytebuddy.matcher.ElementMatchers.takesArgument;
import static net.bytebuddy.matcher.ElementMatchers.takesArguments;

import dev.smtpwatch.bootstrap.HookDispatcher;
import dev.smtpwatch.instrumentation.MethodAdvice;
import dev.smtpwatch.instrumentation.TypeInstrumentation;
import java.net.Socket;
import java.util.Arrays;
import java.util.List;
import net.bytebuddy.asm.Advice;

/**
 * The SMTP transport of javax.mail 1.4–1.6 and com.sun.mail jakarta.mail 2.0 ({@code com.sun.mail.smtp}) and of
 * Angus Mail ({@code org.eclipse.angus.mail.smtp}): one class shape across namespaces, matched by name and
 * method shape only, so no javax/jakarta type is referenced. {@code SMTPSSLTransport} inherits every hooked
 * method. {@code session} is the protected field of {@code Service}, the others are the transport's own.
 */
public final class SmtpTransportInstrumentation implements TypeInstrumentation {
    public static final String JAVAMAIL_TRANSPORT = "com.sun.mail.smtp.SMTPTransport";
    public static final String ANGUS_TRANSPORT = "org.eclipse.angus.mail.smtp.SMTPTransport";
    private static final String SELF = SmtpTransportInstrumentation.class.getName();

    @Override
    public List<String> typeNames() {
        return Arrays.asList(JAVAMAIL_TRANSPORT, ANGUS_TRANSPORT);
    }

    @Override
    public List<MethodAdvice> advice() {
        return Arrays.asList(
            MethodAdvice.of("SMTPTransport(Session, URLName, ...)", isConstructor(), SELF + "$CreatedAdvice"),
            MethodAdvice.of("boolean protocolConnect(String, int, String, String)", named("protocolConnect")
                .and(takesArguments(String.class, int.class, String.class, String.class))
                .and(returns(boolean.class)), SELF + "$ConnectAdvice"),
            MethodAdvice.of("void sendCommand(byte[])", named("sendCommand").and(takesArguments(byte[].class))
                .and(returns(void.class)), SELF + "$CommandAdvice"),
            MethodAdvice.of("int readServerResponse()", named("readServerResponse").and(takesArguments(0))
                .and(returns(int.class)), SELF + "$ReplyAdvice"),
            MethodAdvice.of("sendMessage(Message, Address[])", named("sendMessage").and(takesArguments(2))
                .and(takesArgument(1, named("javax.mail.Address[]").or(named("jakarta.mail.Address[]")))),
                SELF + "$SendAdvice"),
            MethodAdvice.of("void closeConnection()", named("closeConnection").and(takesArguments(0))
                .and(returns(void.class)), SELF + "$CloseAdvice"));
    }

    /**
     * Gives the new transport its identity hash while no thread holds its monitor. Every later hook looks its
     * session up by that hash from inside the transport's {@code synchronized} methods, and the first identity
     * hash of an object locked at that moment inflates its monitor: one {@code ObjectMonitor} per connection, and
     * every {@code synchronized} call of the library on that transport through the inflated (slower) path. The
     * call is to the JDK, so no hook is needed, whatever loader the library has.
     */
    public static final class CreatedAdvice {
        private CreatedAdvice() {
        }

        @Advice.OnMethodExit(suppress = Throwable.class)
        static void exit(@Advice.This Object transport) {
            System.identityHashCode(transport);
        }
    }

    /** Arguments 2 and 3 are the user and password: handed on to be reduced to "credentials given", never kept. */
    public static final class ConnectAdvice {
        private ConnectAdvice() {
        }

        @Advice.OnMethodEnter(suppress = Throwable.class)
        static void enter(@Advice.This Object transport, @Advice.Argument(0) String host, @Advice.Argument(1) int port,
                          @Advice.Argument(2) String user, @Advice.Argument(3) String password,
                          @Advice.FieldValue("session") Object mailSession, @Advice.FieldValue("name") String protocol,
                          @Advice.FieldValue("isSSL") boolean ssl, @Advice.FieldValue("defaultPort") int defaultPort)
            throws Exception {
            HookDispatcher.connectStarted(transport, host, port, mailSession, protocol, ssl, defaultPort, user,
                password);
        }

        @Advice.OnMethodExit(onThrowable = Throwable.class, suppress = Throwable.class)
        static void exit(@Advice.This Object transport, @Advice.Return boolean connected,
                         @Advice.Thrown Throwable thrown, @Advice.FieldValue("lastServerResponse") String lastReply) {
            HookDispatcher.connectEnded(transport, connected, thrown, lastReply);
        }
    }

    /**
     * {@code enforce}: a non-null exception from the hook skips the method body, so the command's bytes never
     * reach the socket, and the exit advice makes it the method's exception. That throw is the one thing not
     * suppressed: the exit advice only assigns it ({@code @Advice.Thrown}), Byte Buddy throws it after the advice.
     * {@code lastServerResponse} gets the same text because the library's AUTH code wraps any exception of its
     * exchange in an {@code AuthenticationFailedException} whose message is {@code getLastServerResponse()}.
     */
    public static final class CommandAdvice {
        private CommandAdvice() {
        }

        @Advice.OnMethodEnter(skipOn = Advice.OnNonDefaultValue.class, suppress = Throwable.class)
        static Throwable enter(@Advice.This Object transport, @Advice.Argument(0) byte[] line,
                               @Advice.FieldValue("serverSocket") Socket socket) {
            return HookDispatcher.commandSent(transport, line, socket);
        }

        @Advice.OnMethodExit(onThrowable = Throwable.class, suppress = Throwable.class)
        static void exit(@Advice.Enter Throwable blocked,
                         @Advice.Thrown(readOnly = false) Throwable thrown,
                         @Advice.FieldValue(value = "lastServerResponse", readOnly = false) String lastReply) {
            if (blocked != null) {
                lastReply = blocked.getMessage();
                thrown = blocked;
            }
        }
    }

    /** {@code code} is the type's default (0) when the method threw; the hook records such a reply as -1. */
    public static final class ReplyAdvice {
        private ReplyAdvice() {
        }

        @Advice.OnMethodExit(onThrowable = Throwable.class, suppress = Throwable.class)
        static void exit(@Advice.This Object transport, @Advice.Return int code, @Advice.Thrown Throwable thrown,
                         @Advice.FieldValue("lastServerResponse") String text,
                         @Advice.FieldValue("serverSocket") Socket socket) {
            HookDispatcher.replyRead(transport, code, thrown, text, socket);
        }
    }

    public static final class SendAdvice {
        private SendAdvice() {
        }

        @Advice.OnMethodEnter(suppress = Throwable.class)
        static void enter(@Advice.This Object transport) {
            HookDispatcher.sendStarted(transport);
        }

        @Advice.OnMethodExit(onThrowable = Throwable.class, suppress = Throwable.class)
        static void exit(@Advice.This Object transport, @Advice.Thrown Throwable thrown) {
            HookDispatcher.sendEnded(transport, thrown);
        }
    }

    public static final class CloseAdvice {
        private CloseAdvice() {
        }

        @Advice.OnMethodExit(onThrowable = Throwable.class, suppress = Throwable.class)
        static void exit(@Advice.This Object transport) {
            HookDispatcher.connectionClosed(transport);
        }
    }
}
