package dev.smtpwatch.session;

import java.lang.ref.Reference;
import java.lang.ref.WeakReference;
import java.net.Socket;
import java.util.ArrayList;
import java.util.List;
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
    /** Looked up by every hook call of every connection: no global lock (see {@link WeakIdentityMap}). */
    private final WeakIdentityMap<Object, Recording> open = new WeakIdentityMap<Object, Recording>();
    /**
     * The recording this thread used last, in front of {@link #open}: nearly every hook call of a connection comes
     * from the thread that opened it, and a look-up in {@code open} takes the transport's identity hash, which for
     * an object the library holds locked (every hooked method runs inside its {@code synchronized} methods) is a
     * call into the VM. Weak, so an ended recording (and the app classes its session refers to) is not kept by a
     * pooled thread that sends nothing more.
     */
    private final ThreadLocal<WeakReference<Recording>> lastOnThread = new ThreadLocal<WeakReference<Recording>>();
    /** Set on entry to an app call and removed when it returns, so it never outlives the call. */
    private final ThreadLocal<ActiveEntry> activeEntry = new ThreadLocal<ActiveEntry>();
    private volatile CallerContext callerContext = CallerContext.NONE;
    private volatile StuckSessionWatchdog watchdog;
    private volatile CommandGuard guard;

    public SessionRecorder(SessionSink sink, boolean maskAddresses, int maxCommands) {
        this.sink = sink;
        this.maskAddresses = maskAddresses;
        this.maxCommands = maxCommands;
    }

    public void callerContext(CallerContext context) {
        this.callerContext = context;
    }

    /** Tell {@code listener} while a session waits {@code thresholdMillis} or longer for one reply. */
    public void watchStuckSessions(long thresholdMillis, StuckSessionListener listener) {
        this.watchdog = new StuckSessionWatchdog(this, thresholdMillis, listener);
    }

    /** {@code enforce}: ask {@code commandGuard} before each command leaves. */
    public void enforce(CommandGuard commandGuard) {
        this.guard = commandGuard;
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
        Reference<Object> key = open.keyOf(connection);
        Recording previous = open.removeAt(key);
        if (previous != null) {
            previous.removed = true;
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
        Recording recording = new Recording(key, session);
        recording.depth = 1;
        recording.waitFor(Recording.GREETING);
        open.putAt(key, recording);
        lastOnThread.set(new WeakReference<Recording>(recording));
        StuckSessionWatchdog w = watchdog;
        if (w != null) {
            w.startOnce();
        }
    }

    /**
     * A connect that returned false without a byte on the wire opened no socket: the library had no password
     * yet, and {@code Service.connect} asks the {@code Authenticator} and connects again. That attempt is no
     * session; only when no {@code Authenticator} can ever supply the password is it handed on, for a warning.
     *
     * @param failure what ended the connect when it returned false without throwing, or null when it connected
     */
    public void connectEnded(Object connection, Throwable thrown, SmtpError failure) {
        Recording r = recordingOf(connection);
        if (r != null && thrown == null && failure != null && r.nothingOnTheWire() && takeOut(r)) {
            if (!r.session.config().authenticator()) {
                sink.connectAbandoned(r.session);
            }
            return;
        }
        entryPointEnded(connection, thrown, failure);
    }

    public void sendStarted(Object connection) {
        Recording r = recordingOf(connection);
        if (r != null) {
            synchronized (r) {
                if (!r.ended) {
                    r.depth++;
                }
            }
        }
    }

    public void sendEnded(Object connection, Throwable thrown) {
        entryPointEnded(connection, thrown, null);
    }

    private void entryPointEnded(Object connection, Throwable thrown, SmtpError failure) {
        Recording r = recordingOf(connection);
        if (r == null) {
            return;
        }
        synchronized (r) {
            if (r.ended) {
                return;
            }
            r.depth--;
            // the library call returned: whatever it waited for is over
            r.waitEnded();
            if (thrown != null) {
                r.session.failed(SmtpError.of(thrown));
            } else if (failure != null) {
                r.session.failed(failure);
            }
        }
        endIfDone(r);
    }

    /**
     * A command is about to leave (the advice runs before the library writes it).
     *
     * @return the refusal when {@code enforce} blocks it (the caller fails the library call), else null
     */
    public BlockedCommand commandSent(Object connection, byte[] line, Socket socket) {
        Recording r = recordingOf(connection);
        if (r == null) {
            return null;
        }
        synchronized (r) {
            return r.ended ? null : r.commandSent(line, socket, guard);
        }
    }

    /** @param code the reply code, or -1 when the read failed or the connection closed */
    public void replyRead(Object connection, int code, String text, Socket socket) {
        Recording r = recordingOf(connection);
        if (r != null) {
            synchronized (r) {
                if (!r.ended) {
                    r.replyRead(code, text, socket);
                }
            }
        }
    }

    public void connectionClosed(Object connection) {
        Recording r = recordingOf(connection);
        if (r != null) {
            synchronized (r) {
                r.closed = true;
            }
            endIfDone(r);
        }
    }

    /**
     * Ends every session still open, for the JVM's exit. An app thread may be mid-command on one of them: the
     * session is finished under its recording's monitor and marked ended, so what that thread records later is
     * dropped instead of changing a session the export thread is already reading.
     */
    public void endAllOpen() {
        for (Recording r : open.removeAll()) {
            r.removed = true;
            end(r, true);
        }
    }

    /**
     * For the watchdog: every open session that has waited at least {@code thresholdNanos} for one reply and was
     * not reported for this wait yet; each such wait is recorded in its session.
     */
    List<Stuck> newlyStuck(long nowNanos, long thresholdNanos) {
        List<Stuck> stuck = new ArrayList<Stuck>(0);
        for (Recording r : open.values()) {
            StuckWait wait = r.stuckLongerThan(nowNanos, thresholdNanos);
            if (wait != null) {
                stuck.add(new Stuck(r.session, wait));
            }
        }
        return stuck;
    }

    static final class Stuck {
        final SmtpSession session;
        final StuckWait wait;

        Stuck(SmtpSession session, StuckWait wait) {
            this.session = session;
            this.wait = wait;
        }
    }

    /** The open recording of {@code connection}, or null. */
    private Recording recordingOf(Object connection) {
        WeakReference<Recording> last = lastOnThread.get();
        Recording r = last == null ? null : last.get();
        if (r != null && !r.removed && r.connection.get() == connection) {
            return r;
        }
        r = open.get(connection);
        if (r != null) {
            lastOnThread.set(new WeakReference<Recording>(r));
        }
        return r;
    }

    private void endIfDone(Recording r) {
        boolean done;
        synchronized (r) {
            done = r.closed && r.depth <= 0;
        }
        if (done && takeOut(r)) {
            end(r, false);
        }
    }

    /** Takes {@code r} out of {@link #open} if it is still there; true when this call did. */
    private boolean takeOut(Recording r) {
        if (!open.removeAt(r.connection, r)) {
            return false;
        }
        r.removed = true;
        return true;
    }

    /** Hands the session on once; a recording is ended by the app's thread or by the exit, never by both. */
    private void end(Recording r, boolean atExit) {
        synchronized (r) {
            if (r.ended) {
                return;
            }
            r.ended = true;
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

    /**
     * The protocol state needed to attribute replies; guarded by its own monitor. The wait fields are also read by
     * the watchdog's thread without the monitor: {@code waitSince} is written last, so a reader that sees it sees
     * the step and thread written before it.
     */
    private final class Recording {
        static final long NOT_WAITING = Long.MIN_VALUE;
        /** Markers of {@code waitingFor} besides a verb (verbs are upper case). */
        static final String GREETING = "greeting";
        static final String END_OF_DATA = "end of data";
        static final String HANDSHAKE = "handshake";

        /** Its key in {@link #open}: weak, as a strong reference from the value would keep the key alive. */
        final Reference<Object> connection;
        final SmtpSession session;
        /** Taken out of {@link #open}: {@link #lastOnThread} must not find it any more. */
        volatile boolean removed;
        int depth;
        boolean closed;
        /** Handed to the sink: nothing may change the session any more. */
        boolean ended;
        SmtpCommand awaiting;
        boolean authContinues;
        boolean dataOpen;
        boolean endOfDataSent;
        boolean lastChunk;
        String waitingFor;
        Thread waitingThread;
        volatile long waitSince = NOT_WAITING;
        /** The wait the watchdog reported, until it ends. */
        volatile StuckWait stuck;
        /** Watchdog thread only: the {@code waitSince} of the last wait reported. */
        long reportedSince = NOT_WAITING;

        Recording(Reference<Object> connection, SmtpSession session) {
            this.connection = connection;
            this.session = session;
        }

        synchronized boolean nothingOnTheWire() {
            return !session.greetingSeen() && session.commands().isEmpty() && session.commandsNotRecorded() == 0;
        }

        void waitFor(String what) {
            endStuck();
            waitingFor = what;
            waitingThread = Thread.currentThread();
            waitSince = System.nanoTime();
        }

        void waitEnded() {
            if (waitSince != NOT_WAITING) {
                waitSince = NOT_WAITING;
                endStuck();
            }
        }

        /** Ends the wait the watchdog reported, if any; the clock is read only then. */
        private void endStuck() {
            StuckWait reported = stuck;
            if (reported != null) {
                reported.end(System.nanoTime());
                stuck = null;
            }
        }

        /** Watchdog thread: the current wait, once, when it has lasted {@code thresholdNanos}. */
        StuckWait stuckLongerThan(long nowNanos, long thresholdNanos) {
            long since = waitSince;
            if (since == NOT_WAITING || nowNanos - since < thresholdNanos || since == reportedSince) {
                return null;
            }
            String what = waitingFor;
            Thread thread = waitingThread;
            if (waitSince != since) {
                return null; // a new wait began meanwhile: judged at the next look
            }
            reportedSince = since;
            StuckWait wait = new StuckWait(step(what), thread == null ? null : thread.getName(), since);
            stuck = wait;
            session.stuck(wait);
            if (waitSince != since) {
                wait.end(System.nanoTime()); // the reply came while this was being reported
            }
            return wait;
        }

        private String step(String what) {
            if (GREETING.equals(what)) {
                return session.tlsMode() == TlsMode.IMPLICIT ? "the TLS handshake and server greeting"
                    : "the server greeting";
            }
            if (END_OF_DATA.equals(what)) {
                return "the reply to the end of DATA";
            }
            if (HANDSHAKE.equals(what)) {
                return "the TLS handshake after STARTTLS";
            }
            return "the reply to " + what;
        }

        BlockedCommand commandSent(byte[] bytes, Socket socket, CommandGuard commandGuard) {
            boolean tls = socket instanceof SSLSocket;
            observeTls(socket);
            if (authContinues) {
                // A continuation line of AUTH: credentials, judged as the AUTH they belong to. Its reply belongs
                // to the AUTH entry.
                BlockedCommand blocked = block(awaiting, commandGuard);
                if (blocked == null) {
                    waitFor("AUTH");
                }
                return blocked;
            }
            CommandLine line = new CommandLine(bytes);
            if (dataOpen && line.is(".")) {
                dataOpen = false;
                endOfDataSent = true;
                awaiting = null;
                waitFor(END_OF_DATA);
                return null;
            }
            String verb = line.verb();
            String arg = null;
            boolean path = false;
            if ("AUTH".equals(verb)) {
                arg = line.firstToken();
            } else if ("MAIL".equals(verb) || "RCPT".equals(verb)) {
                arg = line.path();
                path = maskAddresses;
            } else if ("BDAT".equals(verb)) {
                lastChunk = line.hasToken("LAST");
            }
            awaiting = session.addCommand(verb, arg, path, tls);
            BlockedCommand blocked = block(awaiting, commandGuard);
            if (blocked == null) {
                waitFor(verb);
            }
            return blocked;
        }

        /** Asks the guard; a refused command stays recorded, marked blocked, without a reply. */
        private BlockedCommand block(SmtpCommand command, CommandGuard commandGuard) {
            if (commandGuard == null) {
                return null;
            }
            List<String> ids = commandGuard.findingsCausedBy(session, command);
            if (ids.isEmpty()) {
                return null;
            }
            command.block();
            session.enforced(ids);
            awaiting = null;
            authContinues = false;
            return new BlockedCommand(commandGuard.blockedMessage(session, ids.get(0)), command.is("AUTH"));
        }

        void replyRead(int code, String text, Socket socket) {
            observeTls(socket);
            waitEnded();
            if (endOfDataSent) {
                endOfDataSent = false;
                if (code >= 200 && code < 300) {
                    session.messageAccepted(text);
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
            if (command.is("STARTTLS") && code == 220) {
                waitFor(HANDSHAKE);
            }
            if (command.is("BDAT") && lastChunk && code >= 200 && code < 300) {
                session.messageAccepted(text);
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
                session.serverCertificates(ServerCertificate.chainOf(tls));
            }
        }
    }

    /** Whether a line of the EHLO reply, after its code, is the keyword STARTTLS (read in place: every connection). */
    static boolean advertisesStartTls(String ehloReply) {
        if (ehloReply == null) {
            return false;
        }
        int length = ehloReply.length();
        for (int start = 0; start < length; ) {
            int end = ehloReply.indexOf('\n', start);
            if (end < 0) {
                end = length;
            }
            int from = start;
            while (from < end && ehloReply.charAt(from) <= ' ') {
                from++;
            }
            from += 4; // past "250-" or "250 "
            int to = end;
            while (from < to && ehloReply.charAt(from) <= ' ') {
                from++;
            }
            while (to > from && ehloReply.charAt(to - 1) <= ' ') {
                to--;
            }
            if (to - from == 8 && ehloReply.regionMatches(true, from, "STARTTLS", 0, 8)) {
                return true;
            }
            start = end + 1;
        }
        return false;
    }
}
