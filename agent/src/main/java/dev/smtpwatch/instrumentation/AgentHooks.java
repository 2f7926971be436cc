package dev.smtpwatch.instrumentation;

import dev.smtpwatch.bootstrap.HookDispatcher;
import dev.smtpwatch.instrumentation.javamail.JavaMailHooks;
import dev.smtpwatch.instrumentation.spring.SpringHooks;
import java.net.Socket;

/**
 * The agent's answer to {@link HookDispatcher}: each dispatched call goes to the library line's hooks.
 */
public final class AgentHooks implements HookDispatcher.Hooks {
    private AgentHooks() {
    }

    /**
     * Installs the hooks in the agent jar's copy of the dispatcher, the one every class loader that delegates to
     * the application class loader reaches; returns them for the bootstrap copy, should one be needed.
     */
    public static Object install() {
        AgentHooks hooks = new AgentHooks();
        HookDispatcher.install(hooks);
        return hooks;
    }

    @Override
    public void connectStarted(Object transport, String host, int port, Object mailSession, String protocol,
                               boolean implicitTls, int defaultPort, String user, String password)
        throws ReflectiveOperationException {
        JavaMailHooks.connectStarted(transport, host, port, mailSession, protocol, implicitTls, defaultPort, user,
            password);
    }

    @Override
    public void connectEnded(Object transport, boolean connected, Throwable thrown, String lastReply) {
        JavaMailHooks.connectEnded(transport, connected, thrown, lastReply);
    }

    @Override
    public Throwable commandSent(Object transport, byte[] line, Socket socket) {
        return JavaMailHooks.commandSent(transport, line, socket);
    }

    @Override
    public void replyRead(Object transport, int code, Throwable thrown, String text, Socket socket) {
        JavaMailHooks.replyRead(transport, code, thrown, text, socket);
    }

    @Override
    public void sendStarted(Object transport) {
        JavaMailHooks.sendStarted(transport);
    }

    @Override
    public void sendEnded(Object transport, Throwable thrown) {
        JavaMailHooks.sendEnded(transport, thrown);
    }

    @Override
    public void connectionClosed(Object transport) {
        JavaMailHooks.connectionClosed(transport);
    }

    @Override
    public void springSendStarted(Object sender) {
        SpringHooks.sendStarted(sender);
    }

    @Override
    public void springTestConnectionStarted(Object sender) {
        SpringHooks.testConnectionStarted(sender);
    }

    @Override
    public void springCallEnded(Throwable thrown) {
        SpringHooks.callEnded(thrown);
    }

    @Override
    public void adviceError(Throwable suppressed) {
        AdviceErrors.record(suppressed);
    }
}
