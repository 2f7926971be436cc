package dev.smtpwatch.session;

import java.net.Socket;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.Map;
import java.util.WeakHashMap;
import javax.net.ssl.SSLSession;
import javax.net.ssl.SSLSocket;

/**
 * Turns the library's calls into {@link SmtpSession}s, one per connection, keyed weakly by the library's
 * transport object so that nothing is added to the app's classes and an abandoned transport is collected.
 *
 * <p>Instrumented entry points (connect, send) nest: the library closes the socket inside them when they fail,
 * and the exception only surfaces at their exit. A session therefore ends when its socket was closed and no
 * entry point is active any more, so the error that ended it is part of the record.
 */
public final class SessionRecorder {
    private final SessionSink sink;
    private final boolean maskAddresses;
    private final int maxCommands;
    private final Map<Object, Recording> open = Collections.synchronizedMap(new WeakHashMap<Object, Recording>());
    /** Set on entry to an app call and removed when it returns, so it never outlives the call. */
    private final ThreadLocal<ActiveEntry> activeEntry = new ThreadLocal<ActiveEntry>();
    private volatile CallerContext callerContext = CallerContext.NONE;

    public SessionRecorder(SessionSink sink, boolean maskAddresses, int maxCommands) {
        this.sink = sink;
        this.maskAddresses = maskAddresses;
        this.maxCommands = maxCommands;
    }

    public void callerContext(CallerContext context) {
        this.callerContext = context;
    }

    /**
     * An app-level call that sends mail began (e.g. Spring's {@code JavaMailSender.send}); nested calls on the
     * same thread count as the outermost one.
     */
    public void entryStarted(String id, String operation, ClassLoader appLoader) {
        ActiveEntry active = activeEntry.get();
        if (active != null) {
            active.depth++;
            return;
        }
        activeEntry.set(new ActiveEntry(new EntryCall(id, operation, System.currentTimeMillis(), System.nanoTime(),
            callerContext.capture(appLoader))));
    }

    public void entryEnded(Throwable thrown) {
        ActiveEntry active = activeEntry.get();
        if (active == null || --active.depth > 0) {
            return;
        }
        activeEntry.remove();
        active.call.ended(System.nanoTime(), thrown == null ? null : SmtpError.of(thrown));
        sink.entryEnded(active.call);
    }

    public void connectStarted(Object connection, MailLibrary library, String host, int port, SmtpConfig config) {
        Recording previous = open.remove(connection);
        if (previous != null) {
            end(previous, false);
        }
        SmtpSession session = new SmtpSession(System.currentTimeMillis(), System.nanoTime(), library, host, port,
            config, maxCommands);
        ActiveEntry active = activeEntry.get();
        if (active != null) {
            session.causedBy(active.call, null);
        } else {
            session.causedBy(null, callerContext.capture(library.transportClass().getClassLoader()));
        }
        Recording recording = new Recording(session);
        recording.depth = 1;
        open.put(connection, recording);
    }

    /**
     * A connect that returned false without a byte on the wire opened no socket: the library had no password
     * yet, and {@code Service.connect} asks the {@code Authenticator} and connects again. That attempt is no
     * session; only when no {@code Authenticator} can ever supply the password is it handed on, for a warning.
     *
     * @param failure what ended the connect when it returned false without throwing, or null when it connected
     */
    public void connectEnded(Object connection, Throwable thrown, SmtpError failure) {
        Recording r = open.get(connection);
        if (r != null && thrown == null && failure != null && r.nothingOnTheWire() && open.remove(connection) == r) {
            if (!r.session.config().authenticator()) {
                sink.connectAbandoned(r.session);
            }
            return;
        }
        entryPointEnded(connection, thrown, failure);
    }

    public void sendStarted(Object connection) {
        Recording r = open.get(connection);
        if (r != null) {
            synchronized (r) {
                r.depth++;
            }
        }
    }

    public void sendEnded(Object connection, Throwable thrown) {
        entryPointEnded(connection, thrown, null);
    }

    private void entryPointEnded(Object connection, Throwable thrown, SmtpError failure) {
        Recording r = open.get(connection);
        if (r == null) {
            return;
        }
        synchronized (r) {
            r.depth--;
            if (thrown != null) {
                r.session.failed(SmtpError.of(thrown));
            } else if (failure != null) {
                r.session.failed(failure);
            }
        }
        endIfDone(connection, r);
    }

    public void commandSent(Object connection, byte[] line, Socket socket) {
        Recording r = open.get(connection);
        if (r != null) {
            synchronized (r) {
                r.commandSent(line, socket);
            }
        }
    }

    /** @param code the reply code, or -1 when the read failed or the connection closed */
    public void replyRead(Object connection, int code, String text, Socket socket) {
        Recording r = open.get(connection);
        if (r != null) {
            synchronized (r) {
                r.replyRead(code, text, socket);
            }
        }
    }

    public void connectionClosed(Object connection) {
        Recording r = open.get(connection);
        if (r != null) {
            synchronized (r) {
                r.closed = true;
            }
            endIfDone(connection, r);
        }
    }

    /** Ends every session still open, for the JVM's exit. */
    public void endAllOpen() {
        List<Recording> remaining;
        synchronized (open) {
            remaining = new ArrayList<Recording>(open.values());
            open.clear();
        }
        for (Recording r : remaining) {
            end(r, true);
        }
    }

    private void endIfDone(Object connection, Recording r) {
        boolean done;
        synchronized (r) {
            done = r.closed && r.depth <= 0;
        }
        if (done && open.remove(connection) == r) {
            end(r, false);
        }
    }

    private void end(Recording r, boolean atExit) {
        synchronized (r) {
            r.session.finish(System.nanoTime(), atExit);
        }
        sink.sessionEnded(r.session);
    }

    private static final class ActiveEntry {
        final EntryCall call;
        int depth = 1;

        ActiveEntry(EntryCall call) {
            this.call = call;
        }
    }

    /** The protocol state needed to attribute replies; guarded by its own monitor. */
    private final class Recording {
        final SmtpSession session;
        int depth;
        boolean closed;
        SmtpCommand awaiting;
        boolean authContinues;
        boolean dataOpen;
        boolean endOfDataSent;
        boolean lastChunk;

        Recording(SmtpSession session) {
            this.session = session;
        }

        synchronized boolean nothingOnTheWire() {
            return !session.greetingSeen() && session.commands().isEmpty() && session.commandsNotRecorded() == 0;
        }

        void commandSent(byte[] bytes, Socket socket) {
            boolean tls = socket instanceof SSLSocket;
            observeTls(socket);
            if (authContinues) {
                // A continuation line of AUTH: credentials. Its reply belongs to the AUTH entry.
                return;
            }
            CommandLine line = new CommandLine(bytes);
            if (dataOpen && line.is(".")) {
                dataOpen = false;
                endOfDataSent = true;
                awaiting = null;
                return;
            }
            String verb = line.verb();
            String arg = null;
            if ("AUTH".equals(verb)) {
                arg = line.firstToken();
            } else if ("MAIL".equals(verb) || "RCPT".equals(verb)) {
                arg = line.path(maskAddresses);
            } else if ("BDAT".equals(verb)) {
                lastChunk = line.hasToken("LAST");
            }
            awaiting = session.addCommand(verb, arg, tls);
        }

        void replyRead(int code, String text, Socket socket) {
            observeTls(socket);
            if (endOfDataSent) {
                endOfDataSent = false;
                if (code >= 200 && code < 300) {
                    session.messageAccepted(QueueId.in(text));
                }
                return;
            }
            if (awaiting == null) {
                if (!session.greetingSeen()) {
                    session.greeting(code);
                    if (socket instanceof SSLSocket) {
                        session.implicitTls();
                    }
                }
                return;
            }
            SmtpCommand command = awaiting;
            command.reply(code, text);
            if (code >= 400 || code == SmtpCommand.NO_REPLY) {
                session.errorReply(command);
            }
            authContinues = command.is("AUTH") && code == 334;
            if (authContinues) {
                return;
            }
            awaiting = null;
            dataOpen = command.is("DATA") && code == 354;
            if (command.is("BDAT") && lastChunk && code >= 200 && code < 300) {
                session.messageAccepted(QueueId.in(text));
            } else if (command.is("EHLO") && !command.tls() && code == 250) {
                session.startTlsOffered(advertisesStartTls(text));
            }
        }

        private void observeTls(Socket socket) {
            if (session.tlsEstablished() || !(socket instanceof SSLSocket)) {
                return;
            }
            SSLSession tls = ((SSLSocket) socket).getSession();
            String cipher = tls.getCipherSuite();
            if (cipher != null && !"SSL_NULL_WITH_NULL_NULL".equals(cipher)) {
                session.tlsEstablished(tls.getProtocol(), cipher);
            }
        }
    }

    private static boolean advertisesStartTls(String ehloReply) {
        if (ehloReply == null) {
            return false;
        }
        for (String line : ehloReply.split("\n")) {
            String trimmed = line.trim();
            if (trimmed.length() >= 12 && trimmed.substring(4).trim().equalsIgnoreCase("STARTTLS")) {
                return true;
            }
        }
        return false;
    }
}
