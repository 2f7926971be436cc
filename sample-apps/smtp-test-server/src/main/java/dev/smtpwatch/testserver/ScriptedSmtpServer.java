package dev.smtpwatch.testserver;

import java.io.IOException;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.ServerSocket;
import java.net.Socket;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.TimeUnit;
import javax.net.ssl.SSLContext;

/**
 * An SMTP server on 127.0.0.1 for the demo and for tests: Postfix-like replies by default, plus knobs for the
 * misbehaviour a real server won't show on demand (stripped STARTTLS, scripted error replies, dropped connections,
 * bad or missing greetings). Each connection runs on its own daemon thread and leaves a {@link SessionTranscript}.
 *
 * <pre>{@code
 * try (ScriptedSmtpServer server = ScriptedSmtpServer.builder()
 *         .tls(TlsMode.STARTTLS, pki.serverContext(TestPki.Cert.LOCALHOST))
 *         .auth("user", "secret")
 *         .start()) {
 *     // send through localhost:server.port(), then
 *     SessionTranscript session = server.awaitConnections(1, Duration.ofSeconds(10)).get(0);
 * }
 * }</pre>
 */
public final class ScriptedSmtpServer implements AutoCloseable {
    private static final String HOST = "127.0.0.1";

    private final ServerScript script;
    private final boolean keepTranscripts;
    private final ServerSocket serverSocket;
    /** Guarded by itself; notified whenever a connection ends. */
    private final List<SessionTranscript> transcripts = new ArrayList<>();
    private final Set<Socket> openSockets = ConcurrentHashMap.newKeySet();
    /** Connections accepted so far; guarded by {@link #transcripts}. */
    private int accepted;

    public static Builder builder() {
        return new Builder();
    }

    private ScriptedSmtpServer(ServerScript script, int port, boolean keepTranscripts) throws IOException {
        this.script = script;
        this.keepTranscripts = keepTranscripts;
        serverSocket = new ServerSocket();
        // a fixed port must be reusable right after the previous test's server closed it
        serverSocket.setReuseAddress(true);
        serverSocket.bind(new InetSocketAddress(InetAddress.getByName(HOST), port));
        Thread acceptor = new Thread(this::acceptConnections, "smtp-test-server-" + port() + "-accept");
        acceptor.setDaemon(true);
        acceptor.start();
    }

    /** The port listened on (the ephemeral one when built with port 0). */
    public int port() {
        return serverSocket.getLocalPort();
    }

    /** Transcripts of all connections so far, open and ended, in the order they were accepted. */
    public List<SessionTranscript> connections() {
        synchronized (transcripts) {
            return new ArrayList<>(transcripts);
        }
    }

    /**
     * Waits until at least {@code n} connections have ended (so their transcripts are final) and returns all
     * transcripts; throws {@link IllegalStateException} with what was seen when the timeout passes first.
     */
    public List<SessionTranscript> awaitConnections(int n, Duration timeout) throws InterruptedException {
        long deadline = System.nanoTime() + timeout.toNanos();
        synchronized (transcripts) {
            while (endedConnections() < n) {
                long left = deadline - System.nanoTime();
                if (left <= 0) {
                    throw new IllegalStateException("expected " + n + " ended SMTP connections within " + timeout
                            + ", got " + transcripts);
                }
                TimeUnit.NANOSECONDS.timedWait(transcripts, left);
            }
            return new ArrayList<>(transcripts);
        }
    }

    /** Messages accepted over all connections. */
    public int messagesReceived() {
        int messages = 0;
        for (SessionTranscript transcript : connections()) {
            messages += transcript.messages();
        }
        return messages;
    }

    /** Stops listening and breaks every open connection. */
    @Override
    public void close() throws IOException {
        serverSocket.close();
        for (Socket socket : openSockets) {
            socket.close();
        }
    }

    private int endedConnections() {
        int ended = 0;
        for (SessionTranscript transcript : transcripts) {
            if (transcript.ended()) {
                ended++;
            }
        }
        return ended;
    }

    private void acceptConnections() {
        while (true) {
            Socket socket;
            try {
                socket = serverSocket.accept();
            } catch (IOException closed) {
                return;
            }
            SessionTranscript transcript;
            synchronized (transcripts) {
                transcript = new SessionTranscript(++accepted);
                if (keepTranscripts) {
                    transcripts.add(transcript);
                }
            }
            openSockets.add(socket);
            if (serverSocket.isClosed()) {
                // accepted just as close() ran, after it had closed the open sockets
                closeQuietly(socket);
            }
            Thread connection = new Thread(() -> serve(socket, transcript),
                    "smtp-test-server-" + port() + "-" + transcript.number());
            connection.setDaemon(true);
            connection.start();
        }
    }

    private void serve(Socket socket, SessionTranscript transcript) {
        try {
            new SmtpSession(script, socket, transcript).run();
        } finally {
            closeQuietly(socket);
            openSockets.remove(socket);
            synchronized (transcripts) {
                transcript.end();
                transcripts.notifyAll();
            }
        }
    }

    private static void closeQuietly(Socket socket) {
        try {
            socket.close();
        } catch (IOException alreadyBroken) {
            // the connection is over either way
        }
    }

    /** Configures a server; every option has a normal, well-behaved default. */
    public static final class Builder {
        private int port;
        private TlsMode tlsMode = TlsMode.NONE;
        private SSLContext sslContext;
        private String[] tlsProtocols;
        private boolean stripStartTls;
        private String user;
        private String password;
        private final Set<String> authMechanisms = new LinkedHashSet<>();
        private final Set<String> rejectedRecipients = new LinkedHashSet<>();
        private final Map<String, String> scriptedReplies = new HashMap<>();
        private final Set<String> dropVerbs = new LinkedHashSet<>();
        private final Set<String> hangVerbs = new LinkedHashSet<>();
        private String greeting = ServerScript.DEFAULT_GREETING;
        private boolean requireEhlo;
        private boolean advertiseAuthBeforeTls;
        private boolean hangAtEndOfData;
        private boolean dropInData;
        private String oauthToken;
        private long replyDelayNanos;
        private boolean keepTranscripts = true;

        private Builder() {
        }

        /** Port to listen on; 0 (the default) picks an ephemeral one. */
        public Builder port(int port) {
            this.port = port;
            return this;
        }

        /** How TLS is offered (default {@link TlsMode#NONE}); {@code context} holds the server certificate. */
        public Builder tls(TlsMode mode, SSLContext context) {
            this.tlsMode = mode;
            this.sslContext = context;
            return this;
        }

        /** Restricts the TLS protocols the server accepts, e.g. {@code "TLSv1.1"} for weak-TLS tests. */
        public Builder tlsProtocols(String... protocols) {
            this.tlsProtocols = protocols.clone();
            return this;
        }

        /**
         * Acts like a middlebox that strips STARTTLS: EHLO does not advertise it and a STARTTLS command gets
         * {@code 502}; the TLS mode's other rules (530 when required) still apply.
         */
        public Builder stripStartTls() {
            this.stripStartTls = true;
            return this;
        }

        /**
         * Enables AUTH for one account; advertises {@code PLAIN LOGIN} unless {@link #authMechanisms} says
         * otherwise. Wrong credentials get {@code 535 5.7.8 Error: authentication failed}.
         */
        public Builder auth(String user, String password) {
            this.user = user;
            this.password = password;
            return this;
        }

        /**
         * The mechanisms advertised after {@code AUTH}, in this order. PLAIN and LOGIN work; any other one is
         * advertised but answered {@code 504 5.5.4} when used.
         */
        public Builder authMechanisms(String... mechanisms) {
            authMechanisms.clear();
            for (String mechanism : mechanisms) {
                authMechanisms.add(mechanism.toUpperCase(Locale.ROOT));
            }
            return this;
        }

        /** {@code RCPT TO:<address>} gets {@code 550 5.1.1 <address>: Recipient address rejected}. Repeatable. */
        public Builder rejectRecipient(String address) {
            rejectedRecipients.add(address.toLowerCase(Locale.ROOT));
            return this;
        }

        /**
         * Answers every {@code verb} command with {@code replyLine} (e.g. {@code "454 4.7.0 TLS not available"}
         * for STARTTLS) instead of handling it; several lines may be joined with CRLF. Repeatable per verb.
         */
        public Builder reply(String verb, String replyLine) {
            scriptedReplies.put(verb.toUpperCase(Locale.ROOT), replyLine);
            return this;
        }

        /** Closes the connection, without any reply, when a {@code verb} command arrives. Repeatable. */
        public Builder dropOn(String verb) {
            dropVerbs.add(verb.toUpperCase(Locale.ROOT));
            return this;
        }

        /**
         * Never answers a {@code verb} command and reads on without answering anything, until the client gives up:
         * a server that greets and then hangs. Repeatable.
         */
        public Builder hangOn(String verb) {
            hangVerbs.add(verb.toUpperCase(Locale.ROOT));
            return this;
        }

        /** Sends {@code line} verbatim as the greeting, e.g. {@code "hello?"} for a garbage one. */
        public Builder greeting(String line) {
            this.greeting = line;
            return this;
        }

        /** Sends no greeting and never answers: the connection stays open until the client gives up. */
        public Builder noGreeting() {
            this.greeting = null;
            return this;
        }

        /**
         * Enforces RFC 3207 §4.2 and RFC 5321: MAIL and AUTH get {@code 503 5.5.1 Error: send HELO/EHLO first}
         * until the client has sent EHLO/HELO since connecting or since STARTTLS. Off by default, so that a
         * client skipping EHLO after STARTTLS is merely recorded.
         */
        public Builder requireEhlo() {
            this.requireEhlo = true;
            return this;
        }

        /**
         * With {@link TlsMode#STARTTLS_REQUIRED}: EHLO lists AUTH before TLS as well, yet AUTH before STARTTLS is
         * still answered {@code 530 5.7.0 Must issue a STARTTLS command first} (a server that advertises AUTH but
         * refuses it in plaintext). The mail libraries answer that 530 by doing STARTTLS and repeating AUTH.
         */
        public Builder advertiseAuthBeforeTls() {
            this.advertiseAuthBeforeTls = true;
            return this;
        }

        /**
         * Reads the message after DATA, then never answers its end: the client waits for the reply until its read
         * timeout (or forever), as with a server stuck in a content filter.
         */
        public Builder hangAtEndOfData() {
            this.hangAtEndOfData = true;
            return this;
        }

        /**
         * Answers DATA with 354, reads the first line of the message, then closes the connection: a server lost in
         * the middle of DATA.
         */
        public Builder dropInData() {
            this.dropInData = true;
            return this;
        }

        /**
         * With {@link #auth}: also accepts {@code AUTH XOAUTH2} (RFC 7628 as Google and Microsoft use it) for that
         * user with this access token; add {@code XOAUTH2} to {@link #authMechanisms} to advertise it.
         */
        public Builder oauthToken(String token) {
            this.oauthToken = token;
            return this;
        }

        /** Waits this long before each reply (the greeting included), like a server a network hop away. */
        public Builder replyDelay(Duration delay) {
            this.replyDelayNanos = delay.toNanos();
            return this;
        }

        /** Binds 127.0.0.1 and starts accepting connections. */
        /**
         * Keep no transcripts ({@link #connections()} stays empty): for a benchmark's hundreds of thousands of
         * connections, whose transcripts would fill the heap of the JVM that runs the server and slow it down with
         * its collections as the runs go on.
         */
        public Builder forgetTranscripts() {
            this.keepTranscripts = false;
            return this;
        }

        public ScriptedSmtpServer start() throws IOException {
            if (tlsMode != TlsMode.NONE && sslContext == null) {
                throw new IllegalStateException("TLS mode " + tlsMode + " needs an SSLContext");
            }
            List<String> mechanisms = new ArrayList<>(authMechanisms);
            if (mechanisms.isEmpty()) {
                mechanisms.add("PLAIN");
                mechanisms.add("LOGIN");
            }
            ServerScript script = new ServerScript(tlsMode, sslContext, tlsProtocols, stripStartTls, user, password,
                    mechanisms, rejectedRecipients, scriptedReplies, dropVerbs, hangVerbs, greeting, requireEhlo,
                    advertiseAuthBeforeTls, hangAtEndOfData, dropInData, oauthToken, replyDelayNanos);
            return new ScriptedSmtpServer(script, port, keepTranscripts);
        }
    }
}
