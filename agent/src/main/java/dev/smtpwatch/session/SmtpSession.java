package dev.smtpwatch.session;

import java.util.ArrayList;
import java.util.HashSet;
import java.util.Collections;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Set;

/**
 * The record of one SMTP connection: what the client sent, what the server answered, and how TLS stood at
 * each step. Filled by {@link SessionRecorder} on the sending thread, read by rules and exporters only after
 * the session has finished (the hand-over through the export queue publishes it).
 */
public final class SmtpSession {
    private static final int MAX_NOTABLE_BEYOND_CAP = 64;
    private static final int MAX_STUCK_WAITS = 16;
    /** A pooled transport open for hours accepts a message after another: the first ids are kept, the rest counted. */
    static final int MAX_QUEUE_IDS = 100;

    private final long startEpochMillis;
    private final long startNanos;
    private final MailLibrary library;
    private final String serverAddress;
    private final int serverPort;
    private final SmtpConfig config;
    private final int maxCommands;
    private final List<SmtpCommand> commands = new ArrayList<SmtpCommand>();
    /** Past {@code commands.max}: the first command of each verb and TLS state, and every error reply. */
    private final List<SmtpCommand> notableBeyondCap = new ArrayList<SmtpCommand>();
    private final List<String> queueIds = new ArrayList<String>(1);
    /**
     * The replies that accepted a message whose ids are not read yet: the reading is left to the export thread
     * ({@link #queueIds}), except when the first 100 are in and each further id is only counted.
     */
    private final List<String> acceptedReplies = new ArrayList<String>(1);
    private final Set<String> enforcedFindings = new LinkedHashSet<String>(2);
    private int queueIdsNotRecorded;
    /**
     * Verb and TLS state of every command kept, so that a command past the cap is judged notable in one lookup;
     * made when the cap is first passed, as most sessions never reach it.
     */
    private Set<String> keptVerbs;
    /**
     * The read-only view of {@link #commands}, made at the first ask: every rule asks, most several times. Made on
     * whichever thread asks first; two threads making one each is harmless, as the view keeps nothing else.
     */
    private List<SmtpCommand> commandsView;

    private EntryCall entry;
    private Object callerContext;
    private boolean implicitTls;
    private boolean startTlsSent;
    private boolean tlsEstablished;
    private String tlsProtocol;
    private String tlsCipher;
    private int commandsNotRecorded;
    private int greeting = SmtpCommand.NO_REPLY;
    private boolean greetingSeen;
    private SmtpCommand auth;
    private boolean startTlsOffered;
    private int messages;
    private SmtpError error;
    private long durationMs = -1;
    private boolean openAtExit;
    private int logins;
    private List<ServerCertificate> serverCertificates = Collections.emptyList();
    /** Added to by the watchdog's thread; guarded by itself. */
    private final List<StuckWait> stuckWaits = new ArrayList<StuckWait>(0);

    public SmtpSession(long startEpochMillis, long startNanos, MailLibrary library, String serverAddress,
                       int serverPort, SmtpConfig config, int maxCommands) {
        this.startEpochMillis = startEpochMillis;
        this.startNanos = startNanos;
        this.library = library;
        this.serverAddress = serverAddress;
        this.serverPort = serverPort;
        this.config = config;
        this.maxCommands = maxCommands;
        this.implicitTls = config.sslEnable() || "smtps".equals(config.protocol());
    }

    public long startEpochMillis() {
        return startEpochMillis;
    }

    public long durationMs() {
        return durationMs;
    }

    public MailLibrary library() {
        return library;
    }

    /** The outermost instrumented call that caused this session (e.g. a Spring send), or null. */
    public EntryCall entry() {
        return entry;
    }

    /** The app's trace context at connect when no entry call was active (see {@link CallerContext}), or null. */
    public Object callerContext() {
        return callerContext;
    }

    public long startNanos() {
        return startNanos;
    }

    public String serverAddress() {
        return serverAddress;
    }

    public int serverPort() {
        return serverPort;
    }

    public SmtpConfig config() {
        return config;
    }

    public TlsMode tlsMode() {
        if (implicitTls) {
            return TlsMode.IMPLICIT;
        }
        return startTlsSent ? TlsMode.STARTTLS : TlsMode.NONE;
    }

    public boolean tlsEstablished() {
        return tlsEstablished;
    }

    public String tlsProtocol() {
        return tlsProtocol;
    }

    public String tlsCipher() {
        return tlsCipher;
    }

    /** The recorded commands, in order: at most {@code commands.max}, as the report shows them. */
    public List<SmtpCommand> commands() {
        List<SmtpCommand> view = commandsView;
        if (view == null) {
            view = Collections.unmodifiableList(commands);
            commandsView = view;
        }
        return view;
    }

    /**
     * What the rules judge: every recorded command and, past {@code commands.max}, the first command of each
     * verb and TLS state and every error reply, in order, so the cap bounds memory without hiding a finding.
     */
    public List<SmtpCommand> commandsToJudge() {
        if (notableBeyondCap.isEmpty()) {
            return commands();
        }
        List<SmtpCommand> all = new ArrayList<SmtpCommand>(commands);
        all.addAll(notableBeyondCap);
        return Collections.unmodifiableList(all);
    }

    /** Commands beyond {@code commands.max}: counted, not stored. */
    public int commandsNotRecorded() {
        return commandsNotRecorded;
    }

    /** Reply code of the server greeting; -1 when none came. */
    public int greeting() {
        return greeting;
    }

    /** The AUTH exchange (mechanism, tls, final reply), or null when no AUTH was sent. */
    public SmtpCommand auth() {
        return auth;
    }

    /** Whether an EHLO reply on the plaintext connection advertised STARTTLS. */
    public boolean startTlsOffered() {
        return startTlsOffered;
    }

    public int messages() {
        return messages;
    }

    /** AUTH exchanges on this connection (each AUTH command, whatever its outcome). */
    public int logins() {
        return logins;
    }

    /** The certificates the server presented, leaf first, without a root sent along; empty without TLS. */
    public List<ServerCertificate> serverCertificates() {
        return serverCertificates;
    }

    /** The waits for one reply that lasted {@code stuck.seconds}, in order (at most 16 are kept). */
    public List<StuckWait> stuckWaits() {
        synchronized (stuckWaits) {
            return new ArrayList<StuckWait>(stuckWaits);
        }
    }

    /** Ids of the findings {@code enforce} blocked a command for; the blocked command is marked in the commands. */
    public Set<String> enforcedFindings() {
        return Collections.unmodifiableSet(enforcedFindings);
    }

    /** The ids the server gave accepted messages: the first 100. Read after the session ended. */
    public List<String> queueIds() {
        readQueueIds();
        return Collections.unmodifiableList(queueIds);
    }

    /** Queue ids beyond the first 100: counted, not stored. */
    public int queueIdsNotRecorded() {
        return queueIdsNotRecorded;
    }

    public SmtpError error() {
        return error;
    }

    /** True when the JVM exited while the connection was still open. */
    public boolean openAtExit() {
        return openAtExit;
    }

    public String outcome() {
        if (error != null) {
            return "failed";
        }
        return messages > 0 ? "sent" : "no-mail";
    }

    // ---- recording, package-private: only the recorder changes a session ----

    /** {@code maskPath}: {@code arg} is a MAIL/RCPT path whose address the report masks. */
    SmtpCommand addCommand(String verb, String arg, boolean maskPath, boolean tls) {
        SmtpCommand command = new SmtpCommand(verb, arg, maskPath, tls);
        if (commands.size() < maxCommands) {
            commands.add(command);
        } else {
            commandsNotRecorded++;
            if (!keptVerbs().contains(verbAndTls(verb, tls))) {
                keepBeyondCap(command);
            }
        }
        startTlsSent |= command.is("STARTTLS");
        if (command.is("AUTH")) {
            logins++;
            if (auth == null) {
                auth = command;
            }
        }
        return command;
    }

    void enforced(List<String> findingIds) {
        enforcedFindings.addAll(findingIds);
    }

    void causedBy(EntryCall call, Object context) {
        entry = call;
        callerContext = context;
    }

    /** An error reply to a command past the cap: kept for the rules. */
    void errorReply(SmtpCommand command) {
        if (commands.size() >= maxCommands && !commands.contains(command) && !notableBeyondCap.contains(command)) {
            keepBeyondCap(command);
        }
    }

    private void keepBeyondCap(SmtpCommand command) {
        if (notableBeyondCap.size() < MAX_NOTABLE_BEYOND_CAP) {
            notableBeyondCap.add(command);
            keptVerbs().add(verbAndTls(command.verb(), command.tls()));
        }
    }

    private Set<String> keptVerbs() {
        if (keptVerbs == null) {
            keptVerbs = new HashSet<String>();
            for (SmtpCommand kept : commands) {
                keptVerbs.add(verbAndTls(kept.verb(), kept.tls()));
            }
        }
        return keptVerbs;
    }

    private static String verbAndTls(String verb, boolean tls) {
        return tls ? verb + " tls" : verb;
    }

    boolean greetingSeen() {
        return greetingSeen;
    }

    void greeting(int code) {
        greetingSeen = true;
        greeting = code;
    }

    void implicitTls() {
        implicitTls = true;
    }

    void tlsEstablished(String protocol, String cipher) {
        tlsEstablished = true;
        tlsProtocol = protocol;
        tlsCipher = cipher;
    }

    void serverCertificates(List<ServerCertificate> chain) {
        serverCertificates = Collections.unmodifiableList(chain);
    }

    void stuck(StuckWait wait) {
        synchronized (stuckWaits) {
            if (stuckWaits.size() < MAX_STUCK_WAITS) {
                stuckWaits.add(wait);
            }
        }
    }

    void startTlsOffered(boolean offered) {
        startTlsOffered = offered;
    }

    /** {@code reply}: the text of the reply that accepted it, which may name the server's queue id. */
    void messageAccepted(String reply) {
        messages++;
        if (reply == null) {
            return;
        }
        if (queueIds.size() + acceptedReplies.size() >= MAX_QUEUE_IDS) {
            readQueueIds();
        }
        if (queueIds.size() + acceptedReplies.size() < MAX_QUEUE_IDS) {
            acceptedReplies.add(reply);
        } else if (QueueId.in(reply) != null) {
            queueIdsNotRecorded++;
        }
    }

    private void readQueueIds() {
        for (String reply : acceptedReplies) {
            String id = QueueId.in(reply);
            if (id != null) {
                queueIds.add(id);
            }
        }
        acceptedReplies.clear();
    }

    void failed(SmtpError failure) {
        if (error == null) {
            error = failure;
        }
    }

    void finish(long endNanos, boolean atExit) {
        durationMs = Math.max(0, (endNanos - startNanos) / 1_000_000L);
        openAtExit = atExit;
        for (StuckWait wait : stuckWaits()) {
            wait.end(endNanos);
        }
    }
}
