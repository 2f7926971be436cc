package dev.smtpwatch.testserver;

import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;

/**
 * What the server saw on one connection, for tests to use as the referee. Holds verbs, never arguments: AUTH
 * payloads, passwords and message contents are not stored.
 *
 * <p>Each command is recorded before its reply is written, so a client that has read a reply finds the command here.
 */
public final class SessionTranscript {

    /** One command as received: its verb, whether TLS was active, and the server's final reply code. */
    public static final class Command {
        private final String verb;
        private final boolean tls;
        private final int reply;

        Command(String verb, boolean tls, int reply) {
            this.verb = verb;
            this.tls = tls;
            this.reply = reply;
        }

        /** Upper-case verb, e.g. {@code EHLO}; an AUTH exchange with its continuations is one {@code AUTH}. */
        public String verb() {
            return verb;
        }

        /** Whether the command arrived over an established TLS session. */
        public boolean tls() {
            return tls;
        }

        /** The final reply code; -1 when the server dropped the connection instead, or the reply had no code. */
        public int reply() {
            return reply;
        }

        @Override
        public String toString() {
            return verb + (tls ? "/tls " : " ") + reply;
        }
    }

    private final int number;
    private final List<Command> commands = new CopyOnWriteArrayList<>();
    private final List<String> queueIds = new CopyOnWriteArrayList<>();
    private volatile String authMechanism;
    private volatile boolean authenticated;
    private volatile String tlsProtocol;
    private volatile String tlsCipherSuite;
    private volatile String tlsFailure;
    private volatile boolean ended;

    SessionTranscript(int number) {
        this.number = number;
    }

    /** 1 for the server's first connection, 2 for the next, … */
    public int number() {
        return number;
    }

    public List<Command> commands() {
        return new ArrayList<>(commands);
    }

    /** Just the verbs, in order, e.g. {@code [EHLO, STARTTLS, EHLO, AUTH, MAIL, RCPT, DATA, QUIT]}. */
    public List<String> verbs() {
        List<String> verbs = new ArrayList<>();
        for (Command command : commands) {
            verbs.add(command.verb());
        }
        return verbs;
    }

    /** The mechanism of the last AUTH command (also when it failed); null when none came. */
    public String authMechanism() {
        return authMechanism;
    }

    /** Whether an AUTH exchange succeeded (235). */
    public boolean authenticated() {
        return authenticated;
    }

    /** The queue ids given in the replies to the end of DATA, in order. */
    public List<String> queueIds() {
        return new ArrayList<>(queueIds);
    }

    /** Messages accepted on this connection. */
    public int messages() {
        return queueIds.size();
    }

    /** Negotiated TLS protocol, e.g. {@code TLSv1.3}; null while no TLS session is established. */
    public String tlsProtocol() {
        return tlsProtocol;
    }

    /** Negotiated cipher suite; null while no TLS session is established. */
    public String tlsCipherSuite() {
        return tlsCipherSuite;
    }

    /** Why a TLS handshake failed, as the server saw it (e.g. the client's alert); null when none failed. */
    public String tlsFailure() {
        return tlsFailure;
    }

    /** Whether the connection is over and this transcript final. */
    public boolean ended() {
        return ended;
    }

    void command(String verb, boolean tls, int reply) {
        commands.add(new Command(verb, tls, reply));
    }

    void authMechanism(String mechanism) {
        authMechanism = mechanism;
    }

    void authenticated(boolean success) {
        authenticated = success;
    }

    void queued(String queueId) {
        queueIds.add(queueId);
    }

    void tlsEstablished(String protocol, String cipherSuite) {
        tlsProtocol = protocol;
        tlsCipherSuite = cipherSuite;
    }

    void tlsFailed(String reason) {
        tlsFailure = reason;
    }

    void end() {
        ended = true;
    }

    @Override
    public String toString() {
        return "connection #" + number + " " + commands
                + (authMechanism == null ? "" : " auth=" + authMechanism + (authenticated ? "(ok)" : "(failed)"))
                + (tlsProtocol == null ? "" : " tls=" + tlsProtocol)
                + (tlsFailure == null ? "" : " tlsFailure=" + tlsFailure)
                + " queueIds=" + queueIds + (ended ? "" : " (open)");
    }
}
