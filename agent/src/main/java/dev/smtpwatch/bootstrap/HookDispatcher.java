package dev.smtpwatch.bootstrap;

import java.net.Socket;

/**
 * What the woven advice calls, from any class loader: this class and {@link Hooks} are written to a tiny jar on
 * the bootstrap class path when the first instrumented class arrives, so a library loaded by an isolated loader
 * (an app server module, an OSGi bundle, a {@code URLClassLoader} over the platform loader) reaches it as surely
 * as one on the application class path. Static methods and JDK types only; the agent installs the
 * {@link Hooks} that do the work. Nothing here may throw into the library.
 */
public final class HookDispatcher {
    private static volatile Hooks hooks;

    private HookDispatcher() {
    }

    /** The agent's side: what each hook does. Library objects arrive as {@code Object}. */
    public interface Hooks {
        void connectStarted(Object transport, String host, int port, Object mailSession, String protocol,
                            boolean implicitTls, int defaultPort, String user, String password) throws Exception;

        void connectEnded(Object transport, boolean connected, Throwable thrown, String lastReply);

        /** @return the exception that fails the library call when {@code enforce} blocks the command, else null */
        Throwable commandSent(Object transport, byte[] line, Socket socket);

        void replyRead(Object transport, int code, Throwable thrown, String text, Socket socket);

        void sendStarted(Object transport);

        void sendEnded(Object transport, Throwable thrown);

        void connectionClosed(Object transport);

        void springSendStarted(Object sender);

        void springTestConnectionStarted(Object sender);

        void springCallEnded(Throwable thrown);

        void adviceError(Throwable suppressed);
    }

    public static void install(Hooks agentHooks) {
        hooks = agentHooks;
    }

    public static void connectStarted(Object transport, String host, int port, Object mailSession, String protocol,
                                      boolean implicitTls, int defaultPort, String user, String password)
        throws Exception {
        Hooks h = hooks;
        if (h != null) {
            h.connectStarted(transport, host, port, mailSession, protocol, implicitTls, defaultPort, user, password);
        }
    }

    public static void connectEnded(Object transport, boolean connected, Throwable thrown, String lastReply) {
        Hooks h = hooks;
        if (h != null) {
            h.connectEnded(transport, connected, thrown, lastReply);
        }
    }

    /**
     * @return the exception that fails the library call instead of writing the command ({@code enforce}), or
     *         null to let it go
     */
    public static Throwable commandSent(Object transport, byte[] line, Socket socket) {
        Hooks h = hooks;
        return h == null ? null : h.commandSent(transport, line, socket);
    }

    public static void replyRead(Object transport, int code, Throwable thrown, String text, Socket socket) {
        Hooks h = hooks;
        if (h != null) {
            h.replyRead(transport, code, thrown, text, socket);
        }
    }

    public static void sendStarted(Object transport) {
        Hooks h = hooks;
        if (h != null) {
            h.sendStarted(transport);
        }
    }

    public static void sendEnded(Object transport, Throwable thrown) {
        Hooks h = hooks;
        if (h != null) {
            h.sendEnded(transport, thrown);
        }
    }

    public static void connectionClosed(Object transport) {
        Hooks h = hooks;
        if (h != null) {
            h.connectionClosed(transport);
        }
    }

    public static void springSendStarted(Object sender) {
        Hooks h = hooks;
        if (h != null) {
            h.springSendStarted(sender);
        }
    }

    public static void springTestConnectionStarted(Object sender) {
        Hooks h = hooks;
        if (h != null) {
            h.springTestConnectionStarted(sender);
        }
    }

    public static void springCallEnded(Throwable thrown) {
        Hooks h = hooks;
        if (h != null) {
            h.springCallEnded(thrown);
        }
    }

    /**
     * The handler of every advice's {@code suppress = Throwable.class}: it runs inside the library's method, so
     * it must not throw itself.
     */
    public static void adviceError(Throwable suppressed) {
        try {
            Hooks h = hooks;
            if (h != null) {
                h.adviceError(suppressed);
            }
        } catch (Throwable ignored) {
            // counting failed; the library's call goes on regardless
        }
    }
}
