package dev.smtpwatch.it.postfix;

import dev.smtpwatch.it.Canaries;
import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStream;
import java.io.InputStreamReader;
import java.io.OutputStream;
import java.io.RandomAccessFile;
import java.io.UncheckedIOException;
import java.lang.annotation.ElementType;
import java.lang.annotation.Retention;
import java.lang.annotation.RetentionPolicy;
import java.lang.annotation.Target;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.ServerSocket;
import java.net.Socket;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.Paths;
import java.nio.file.StandardCopyOption;
import java.security.GeneralSecurityException;
import java.security.KeyStore;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Collections;
import java.util.Comparator;
import java.util.EnumMap;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import java.util.concurrent.TimeUnit;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Collectors;
import java.util.stream.Stream;

import javax.net.ssl.SSLContext;
import javax.net.ssl.SSLSocket;
import javax.net.ssl.TrustManagerFactory;

import org.junit.jupiter.api.extension.ConditionEvaluationResult;
import org.junit.jupiter.api.extension.ExecutionCondition;
import org.junit.jupiter.api.extension.ExtendWith;
import org.junit.jupiter.api.extension.ExtensionContext;

/**
 * A private, real Postfix (plus Dovecot for SASL) on 127.0.0.1, for integration tests.
 *
 * <p>Everything lives under a work directory: config, queue, certificates, the log ({@link #maillog()}) and the one
 * mailbox file every accepted message is delivered to ({@link #mailbox()}); nothing is ever relayed and
 * {@code /etc/postfix} is never touched. Started by {@code src/test/resources/postfix/start.sh}, stopped by
 * {@code stop.sh}, which kills exactly the two recorded master PIDs.
 *
 * <p>Use {@link #shared(String)} (one instance per test JVM, started on first use, stopped by a shutdown hook) and
 * annotate the test class with {@link Required}: tests are skipped when Postfix/Dovecot are missing or the JVM is not
 * root, unless {@code SMTPWATCH_REQUIRE_POSTFIX=1} (CI) — then they fail.
 */
public final class PostfixServer implements AutoCloseable {

    /** The SASL user. */
    public static final String USER = "smtpwatch";
    /**
     * A canary password for {@link #USER}: distinctive enough to grep for in reports, logs and spans, which must
     * never contain it. {@link #shared()} uses it.
     */
    public static final String CANARY_PASSWORD = Canaries.PASSWORD;
    /** Password of {@link #trustStore()}. */
    public static final String TRUST_STORE_PASSWORD = "changeit";
    /** Every listener binds this address only. */
    public static final String HOST = "127.0.0.1";
    /** This recipient is rejected at RCPT with {@code 550 5.1.1}. */
    public static final String REJECTED_RECIPIENT = "reject@example.org";
    /** Environment variable: when {@code 1}/{@code true}, an unavailable harness fails tests instead of skipping. */
    public static final String REQUIRE_ENV = "SMTPWATCH_REQUIRE_POSTFIX";
    /** System property: {@code true} makes the harness unavailable (skip, or fail when required). */
    public static final String DISABLE_PROPERTY = "smtpwatch.postfix.disabled";
    /** System property: work directory of the shared instance (default: a fresh temp directory, deleted on close). */
    public static final String WORKDIR_PROPERTY = "smtpwatch.postfix.workdir";
    /** System property: {@code true} keeps the shared instance's temp work directory on close. */
    public static final String KEEP_PROPERTY = "smtpwatch.postfix.keep";

    private static final Path POSTFIX = Paths.get("/usr/sbin/postfix");
    private static final Path POSTFIX_MASTER = Paths.get("/usr/lib/postfix/sbin/master");
    private static final Path DOVECOT = Paths.get("/usr/sbin/dovecot");
    private static final Duration START_TIMEOUT = Duration.ofSeconds(60);
    private static final Duration READY_TIMEOUT = Duration.ofSeconds(20);

    /** The listeners, one per TLS policy. */
    public enum Listener {
        /** STARTTLS required ({@code smtpd_tls_security_level=encrypt}), AUTH only after TLS; relay only when authenticated. */
        SUBMISSION("submission", "PORT_SUBMISSION", false),
        /** Implicit TLS from the first byte ({@code smtpd_tls_wrappermode=yes}) with AUTH; relay only when authenticated. */
        IMPLICIT("implicit", "PORT_IMPLICIT", true),
        /** STARTTLS offered but optional, AUTH allowed in plaintext; relay for authenticated or loopback clients. */
        LEGACY("legacy", "PORT_LEGACY", false),
        /** No TLS at all (STARTTLS answered 502), AUTH in plaintext; relay for authenticated or loopback clients. */
        NOTLS("notls", "PORT_NOTLS", false),
        /** Like {@link #SUBMISSION} but the certificate is for {@code wrong.example} (signed by the same CA). */
        WRONG_HOST("wronghost", "PORT_WRONGHOST", false),
        /** Like {@link #SUBMISSION} but the certificate (for localhost, same CA) expired in 2020. */
        EXPIRED("expired", "PORT_EXPIRED", false);

        private final String logName;
        private final String envVar;
        private final boolean implicitTls;

        Listener(String logName, String envVar, boolean implicitTls) {
            this.logName = logName;
            this.envVar = envVar;
            this.implicitTls = implicitTls;
        }

        /** The name in the log tag, {@code postfix/<logName>/smtpd[pid]}. */
        public String logName() {
            return logName;
        }

        /** Whether the listener speaks TLS from the first byte. */
        public boolean implicitTls() {
            return implicitTls;
        }

        static Listener byLogName(String name) {
            for (Listener l : values()) {
                if (l.logName.equals(name)) {
                    return l;
                }
            }
            return null;
        }
    }

    // ------------------------------------------------------------------------------------------------ availability

    /** Whether the harness can run here, and if not why. */
    public static final class Availability {
        private final boolean available;
        private final String reason;

        Availability(boolean available, String reason) {
            this.available = available;
            this.reason = reason;
        }

        public boolean available() {
            return available;
        }

        public String reason() {
            return reason;
        }

        @Override
        public String toString() {
            return available ? "available" : "unavailable: " + reason;
        }
    }

    private static volatile Availability availability;

    /** Checks (once per JVM) for Linux, root, the Postfix/Dovecot/openssl/keytool binaries. */
    public static Availability availability() {
        Availability a = availability;
        if (a == null) {
            a = checkAvailability();
            availability = a;
        }
        return a;
    }

    private static Availability checkAvailability() {
        if (Boolean.getBoolean(DISABLE_PROPERTY)) {
            return new Availability(false, "disabled with -D" + DISABLE_PROPERTY + "=true");
        }
        if (!System.getProperty("os.name", "").toLowerCase(Locale.ROOT).contains("linux")) {
            return new Availability(false, "needs Linux, this is " + System.getProperty("os.name"));
        }
        List<String> missing = new ArrayList<>();
        for (Path p : List.of(POSTFIX, POSTFIX_MASTER, DOVECOT, Paths.get("/bin/sh"))) {
            if (!Files.isExecutable(p)) {
                missing.add(p.toString());
            }
        }
        if (findOnPath("openssl") == null) {
            missing.add("openssl");
        }
        if (!Files.isExecutable(keytool())) {
            missing.add(keytool().toString());
        }
        if (!missing.isEmpty()) {
            return new Availability(false, "missing " + String.join(", ", missing)
                    + " (install with .ci/install-postfix.sh as root)");
        }
        try {
            Object uid = Files.getAttribute(Paths.get("/proc/self"), "unix:uid");
            if (!Integer.valueOf(0).equals(uid)) {
                return new Availability(false, "needs root (Postfix master and Dovecot), running as uid " + uid);
            }
        } catch (IOException | RuntimeException e) {
            return new Availability(false, "cannot determine the uid: " + e);
        }
        return new Availability(true, "Postfix and Dovecot found, running as root");
    }

    /** Whether {@code SMTPWATCH_REQUIRE_POSTFIX} asks to fail rather than skip when unavailable. */
    public static boolean required() {
        String v = System.getenv(REQUIRE_ENV);
        return v != null && (v.equals("1") || v.equalsIgnoreCase("true") || v.equalsIgnoreCase("yes"));
    }

    /**
     * For use inside a test: aborts it (skipped) when unavailable, or throws {@link AssertionError} when
     * {@link #required()}.
     */
    public static void assumeAvailable() {
        Availability a = availability();
        if (a.available()) {
            return;
        }
        if (required()) {
            throw new AssertionError(REQUIRE_ENV + " is set but the Postfix harness is " + a);
        }
        org.junit.jupiter.api.Assumptions.assumeTrue(false, "Postfix harness " + a);
    }

    /** Skips (or, with {@code SMTPWATCH_REQUIRE_POSTFIX=1}, fails) a test class/method when unavailable. */
    @Target({ElementType.TYPE, ElementType.METHOD})
    @Retention(RetentionPolicy.RUNTIME)
    @ExtendWith(Condition.class)
    public @interface Required {
    }

    /** The JUnit 5 condition behind {@link Required}. */
    public static final class Condition implements ExecutionCondition {
        @Override
        public ConditionEvaluationResult evaluateExecutionCondition(ExtensionContext context) {
            Availability a = availability();
            if (a.available()) {
                return ConditionEvaluationResult.enabled("Postfix harness " + a);
            }
            if (required()) {
                // An exception from a condition fails the container/test (JUnit does not treat it as a skip).
                throw new IllegalStateException(REQUIRE_ENV + " is set but the Postfix harness is " + a);
            }
            return ConditionEvaluationResult.disabled("Postfix harness " + a + " (set " + REQUIRE_ENV
                    + "=1 to fail instead of skipping)");
        }
    }

    // ------------------------------------------------------------------------------------------------ shared

    private static PostfixServer shared;
    private static RuntimeException sharedFailure;

    /** {@link #shared(String)} with {@link #CANARY_PASSWORD}. */
    public static PostfixServer shared() {
        return shared(CANARY_PASSWORD);
    }

    /**
     * The one instance of this JVM, started on first call (with this password for user {@link #USER}) and stopped
     * by a shutdown hook. A later call with another password fails. A failed start is remembered and rethrown.
     */
    public static synchronized PostfixServer shared(String password) {
        if (shared != null && !shared.closed) {
            if (!shared.password.equals(password)) {
                throw new IllegalStateException("the shared Postfix already runs with another password for "
                        + USER + "; use one password per test JVM");
            }
            return shared;
        }
        if (sharedFailure != null) {
            throw sharedFailure;
        }
        try {
            String dir = System.getProperty(WORKDIR_PROPERTY);
            Path workDir;
            boolean delete;
            if (dir != null && !dir.isEmpty()) {
                workDir = Paths.get(dir).toAbsolutePath();
                delete = false;
            } else {
                workDir = Files.createTempDirectory("smtpwatch-postfix-");
                delete = !Boolean.getBoolean(KEEP_PROPERTY);
            }
            PostfixServer s = start(workDir, password);
            s.deleteOnClose = delete;
            shared = s;
            return s;
        } catch (IOException e) {
            sharedFailure = new UncheckedIOException("starting the shared Postfix failed: " + e.getMessage(), e);
            throw sharedFailure;
        } catch (RuntimeException e) {
            sharedFailure = e;
            throw e;
        }
    }

    // ------------------------------------------------------------------------------------------------ instance

    private final Path workDir;
    private final String password;
    private final Map<Listener, Integer> ports;
    private final Thread shutdownHook;
    private volatile boolean closed;
    private volatile boolean deleteOnClose;
    private volatile SSLContext sslContext;

    private PostfixServer(Path workDir, String password, Map<Listener, Integer> ports) {
        this.workDir = workDir;
        this.password = password;
        this.ports = Collections.unmodifiableMap(new EnumMap<>(ports));
        this.shutdownHook = new Thread(this::stopQuietly, "postfix-server-shutdown");
    }

    /**
     * Starts Postfix + Dovecot under {@code workDir} (created if needed; certificates in it are reused) on free
     * high ports, and returns once every listener has answered. The caller owns the instance: {@link #close()} it
     * (a shutdown hook and a watchdog on this JVM's PID stop it anyway).
     *
     * @param password password of user {@link #USER}; no ':' and no control characters
     */
    public static PostfixServer start(Path workDir, String password) throws IOException {
        Objects.requireNonNull(workDir, "workDir");
        checkPassword(password);
        Availability a = availability();
        if (!a.available()) {
            throw new IllegalStateException("Postfix harness " + a);
        }
        Path dir = workDir.toAbsolutePath().normalize();
        Files.createDirectories(dir.resolve("bin"));
        copyScript("start.sh", dir);
        copyScript("stop.sh", dir);
        IOException last = null;
        for (int attempt = 1; attempt <= 3; attempt++) {
            long t0 = System.nanoTime();
            Map<Listener, Integer> ports = freePorts();
            Path log = dir.resolve("start.log");
            ProcessBuilder pb = new ProcessBuilder("/bin/sh", dir.resolve("bin/start.sh").toString(), dir.toString())
                    .redirectErrorStream(true)
                    .redirectOutput(log.toFile())
                    .redirectInput(ProcessBuilder.Redirect.from(new java.io.File("/dev/null")));
            Map<String, String> env = pb.environment();
            ports.forEach((l, p) -> env.put(l.envVar, Integer.toString(p)));
            env.put("SMTPWATCH_SASL_USER", USER);
            env.put("SMTPWATCH_SASL_PASSWORD", password);
            env.put("WATCH_PID", Long.toString(ProcessHandle.current().pid()));
            env.put("KEYTOOL", keytool().toString());
            int rc = run(pb, START_TIMEOUT);
            if (rc != 0) {
                String out = readQuietly(log);
                String maillog = tail(readQuietly(dir.resolve("maillog")), 20);
                runStop(dir);
                last = new IOException("start.sh " + dir + " exited with " + rc + ":\n" + out
                        + (maillog.isEmpty() ? "" : "\nmaillog:\n" + maillog));
                if ((out + maillog).contains("in use")) {
                    continue; // a port was taken between picking and binding: try other ports
                }
                throw last;
            }
            PostfixServer server = new PostfixServer(dir, password, ports);
            Runtime.getRuntime().addShutdownHook(server.shutdownHook);
            try {
                server.awaitReady();
            } catch (IOException | RuntimeException e) {
                server.close();
                throw e;
            }
            server.startupMillis = (System.nanoTime() - t0) / 1_000_000;
            return server;
        }
        throw last;
    }

    private volatile long startupMillis;

    /** Wall time the last {@link #start} took, from picking ports to every listener answering (ms). */
    public long startupMillis() {
        return startupMillis;
    }

    private static void checkPassword(String password) {
        if (password == null || password.isEmpty()) {
            throw new IllegalArgumentException("password must not be empty");
        }
        for (char c : password.toCharArray()) {
            if (c == ':' || c < 0x20 || c == 0x7f) {
                throw new IllegalArgumentException("password must not contain ':' or control characters");
            }
        }
    }

    private static void copyScript(String name, Path dir) throws IOException {
        try (InputStream in = PostfixServer.class.getResourceAsStream("/postfix/" + name)) {
            if (in == null) {
                throw new IOException("resource /postfix/" + name + " not on the test classpath");
            }
            Files.copy(in, dir.resolve("bin").resolve(name), StandardCopyOption.REPLACE_EXISTING);
        }
    }

    private static Map<Listener, Integer> freePorts() throws IOException {
        Map<Listener, Integer> ports = new EnumMap<>(Listener.class);
        List<ServerSocket> held = new ArrayList<>();
        try {
            InetAddress lo = InetAddress.getByName(HOST);
            for (Listener l : Listener.values()) {
                ServerSocket ss = new ServerSocket();
                held.add(ss);
                ss.setReuseAddress(true);
                ss.bind(new InetSocketAddress(lo, 0));
                ports.put(l, ss.getLocalPort());
            }
        } finally {
            for (ServerSocket ss : held) {
                ss.close();
            }
        }
        return ports;
    }

    /** Every listener must greet (implicit TLS: after a verified handshake); then their log lines are flushed. */
    private void awaitReady() throws IOException {
        long deadline = System.nanoTime() + READY_TIMEOUT.toNanos();
        long mark = maillogMark();
        Map<Listener, Integer> clientPorts = new EnumMap<>(Listener.class);
        for (Listener l : Listener.values()) {
            IOException failure = null;
            while (true) {
                try {
                    clientPorts.put(l, probe(l));
                    break;
                } catch (IOException e) {
                    failure = e;
                }
                if (System.nanoTime() > deadline) {
                    throw new IOException("listener " + l + " on port " + port(l) + " not ready: " + failure
                            + "\nmaillog:\n" + tail(readQuietly(maillog()), 30), failure);
                }
                sleep(50);
            }
        }
        // Wait until postlogd has written the disconnect lines of the probes, so that a mark taken after start()
        // never sees them.
        for (Map.Entry<Listener, Integer> e : clientPorts.entrySet()) {
            long left = Math.max(1, TimeUnit.NANOSECONDS.toMillis(deadline - System.nanoTime()));
            awaitConnection(e.getKey(), mark, e.getValue(), Duration.ofMillis(left));
        }
    }

    /** Reads the greeting (after TLS for implicit), says QUIT; returns the client port used. */
    private int probe(Listener l) throws IOException {
        Socket s = new Socket();
        try {
            s.connect(new InetSocketAddress(HOST, port(l)), 2000);
            s.setSoTimeout(3000);
            int clientPort = s.getLocalPort();
            Socket io = s;
            if (l.implicitTls()) {
                SSLSocket tls = (SSLSocket) sslContext().getSocketFactory().createSocket(s, "localhost", port(l), true);
                tls.startHandshake();
                io = tls;
            }
            BufferedReader r = new BufferedReader(new InputStreamReader(io.getInputStream(), StandardCharsets.US_ASCII));
            String greeting = r.readLine();
            if (greeting == null || !greeting.startsWith("220")) {
                throw new IOException("bad greeting from " + l + ": " + greeting);
            }
            OutputStream out = io.getOutputStream();
            out.write("QUIT\r\n".getBytes(StandardCharsets.US_ASCII));
            out.flush();
            r.readLine();
            io.close();
            return clientPort;
        } finally {
            s.close();
        }
    }

    // ------------------------------------------------------------------------------------------------ accessors

    public int port(Listener listener) {
        return ports.get(listener);
    }

    public Map<Listener, Integer> ports() {
        return ports;
    }

    public String host() {
        return HOST;
    }

    public String user() {
        return USER;
    }

    public String password() {
        return password;
    }

    public Path workDir() {
        return workDir;
    }

    /** PKCS12 trust store holding the test CA (password {@link #TRUST_STORE_PASSWORD}). */
    public Path trustStore() {
        return workDir.resolve("tls/truststore.p12");
    }

    public String trustStorePassword() {
        return TRUST_STORE_PASSWORD;
    }

    /** The test CA certificate (PEM). */
    public Path caCertificate() {
        return workDir.resolve("tls/ca.crt");
    }

    /** An SSLContext trusting only the test CA. */
    public SSLContext sslContext() {
        SSLContext ctx = sslContext;
        if (ctx == null) {
            try {
                KeyStore ks = KeyStore.getInstance("PKCS12");
                try (InputStream in = Files.newInputStream(trustStore())) {
                    ks.load(in, TRUST_STORE_PASSWORD.toCharArray());
                }
                TrustManagerFactory tmf = TrustManagerFactory.getInstance(TrustManagerFactory.getDefaultAlgorithm());
                tmf.init(ks);
                ctx = SSLContext.getInstance("TLS");
                ctx.init(null, tmf.getTrustManagers(), null);
            } catch (IOException e) {
                throw new UncheckedIOException(e);
            } catch (GeneralSecurityException e) {
                throw new IllegalStateException("cannot load " + trustStore(), e);
            }
            sslContext = ctx;
        }
        return ctx;
    }

    /** The Postfix log ({@code maillog_file}). */
    public Path maillog() {
        return workDir.resolve("maillog");
    }

    /** The Dovecot log (SASL). */
    public Path dovecotLog() {
        return workDir.resolve("dovecot.log");
    }

    /** The mbox file every accepted message is delivered to (absent until the first delivery). */
    public Path mailbox() {
        return workDir.resolve("mail/sink.mbox");
    }

    /** Whether {@link #close()} has run. */
    public boolean isClosed() {
        return closed;
    }

    // ------------------------------------------------------------------------------------------------ mailbox

    /** The whole mailbox, or "" before the first delivery. */
    public String mailboxContent() {
        return readQuietly(mailbox());
    }

    /**
     * Waits until the mailbox contains {@code needle} (e.g. a unique subject) and returns the mailbox content.
     *
     * @throws AssertionError on timeout
     */
    public String awaitMail(String needle, Duration timeout) {
        long deadline = System.nanoTime() + timeout.toNanos();
        while (true) {
            String content = mailboxContent();
            if (content.contains(needle)) {
                return content;
            }
            if (System.nanoTime() > deadline) {
                throw new AssertionError("no mail containing '" + needle + "' in " + mailbox() + " after " + timeout
                        + "\nmaillog:\n" + tail(readQuietly(maillog()), 30));
            }
            sleep(50);
        }
    }

    // ------------------------------------------------------------------------------------------------ maillog

    /** A mark (byte offset) in the maillog, for {@link #maillogLinesSince(long)} and friends. */
    public long maillogMark() {
        try {
            return Files.exists(maillog()) ? Files.size(maillog()) : 0;
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    /** Complete maillog lines written after {@code mark}. */
    public List<String> maillogLinesSince(long mark) {
        Path p = maillog();
        if (!Files.exists(p)) {
            return List.of();
        }
        try (RandomAccessFile f = new RandomAccessFile(p.toFile(), "r")) {
            long len = f.length();
            if (len <= mark) {
                return List.of();
            }
            byte[] buf = new byte[(int) (len - mark)];
            f.seek(mark);
            f.readFully(buf);
            int end = buf.length;
            while (end > 0 && buf[end - 1] != '\n') {
                end--; // only whole lines
            }
            String s = new String(buf, 0, end, StandardCharsets.UTF_8);
            if (s.isEmpty()) {
                return List.of();
            }
            return List.of(s.split("\n"));
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    /** Client connections to {@code listener} that started after {@code mark} (completed or not). */
    public List<Connection> connectionsSince(Listener listener, long mark) {
        return parseConnections(maillogLinesSince(mark)).stream()
                .filter(c -> c.listener() == listener)
                .collect(Collectors.toList());
    }

    /**
     * Waits until at least {@code count} connections to {@code listener} that started after {@code mark} have
     * been logged as disconnected, and returns the completed ones in log order.
     *
     * @throws AssertionError on timeout
     */
    public List<Connection> awaitConnections(Listener listener, long mark, int count, Duration timeout) {
        long deadline = System.nanoTime() + timeout.toNanos();
        while (true) {
            List<Connection> done = connectionsSince(listener, mark).stream()
                    .filter(Connection::disconnected).collect(Collectors.toList());
            if (done.size() >= count) {
                return done;
            }
            if (System.nanoTime() > deadline) {
                throw new AssertionError("expected " + count + " finished connection(s) on " + listener
                        + " in the maillog, found " + done.size() + "; log since mark:\n"
                        + String.join("\n", maillogLinesSince(mark)));
            }
            sleep(50);
        }
    }

    /**
     * Waits for the finished connection to {@code listener} from local client port {@code clientPort}
     * ({@code socket.getLocalPort()}) that started after {@code mark}.
     *
     * @throws AssertionError on timeout
     */
    public Connection awaitConnection(Listener listener, long mark, int clientPort, Duration timeout) {
        long deadline = System.nanoTime() + timeout.toNanos();
        while (true) {
            Optional<Connection> c = connectionsSince(listener, mark).stream()
                    .filter(x -> x.clientPort() == clientPort && x.disconnected()).findFirst();
            if (c.isPresent()) {
                return c.get();
            }
            if (System.nanoTime() > deadline) {
                throw new AssertionError("no finished connection from client port " + clientPort + " on " + listener
                        + " in the maillog after " + timeout + "; log since mark:\n"
                        + String.join("\n", maillogLinesSince(mark)));
            }
            sleep(50);
        }
    }

    private static final Pattern LOG_LINE = Pattern.compile("\\bpostfix/([A-Za-z0-9_.-]+)/smtpd\\[(\\d+)\\]: (.*)$");
    private static final Pattern CLIENT_PORT = Pattern.compile("\\[[^\\]]*\\]:(\\d+)");
    private static final Pattern DISCONNECT = Pattern.compile("^disconnect from \\S*?\\[[^\\]]*\\](?::\\d+)?\\s*(.*)$");
    private static final Pattern TLS = Pattern.compile("TLS connection established from .*?: (\\S+) with cipher (\\S+)");
    private static final Pattern QUEUE_CLIENT = Pattern.compile(
            "^([0-9A-Za-z]+): client=\\S+?(?:, sasl_method=([^,]+), sasl_username=(.+?))?(?:, .*)?$");
    private static final Pattern SASL_FAILED = Pattern.compile("SASL (\\S+) authentication failed");
    private static final Pattern COUNT = Pattern.compile("([a-z]+)=(\\d+)(?:/(\\d+))?");

    /**
     * Groups smtpd log lines into client connections (per smtpd PID, from {@code connect from} to
     * {@code disconnect from}); lines of connections that started before the given lines are ignored.
     */
    public static List<Connection> parseConnections(List<String> lines) {
        Map<String, Connection> open = new HashMap<>();
        List<Connection> all = new ArrayList<>();
        for (String line : lines) {
            Matcher m = LOG_LINE.matcher(line);
            if (!m.find()) {
                continue;
            }
            Listener listener = Listener.byLogName(m.group(1));
            if (listener == null) {
                continue;
            }
            String key = listener + "/" + m.group(2);
            String msg = m.group(3);
            if (msg.startsWith("connect from ")) {
                Matcher p = CLIENT_PORT.matcher(msg);
                Connection c = new Connection(listener, Integer.parseInt(m.group(2)),
                        p.find() ? Integer.parseInt(p.group(1)) : -1);
                c.lines.add(line);
                open.put(key, c);
                all.add(c);
                continue;
            }
            Connection c = open.get(key);
            if (c == null) {
                continue;
            }
            c.lines.add(line);
            Matcher d = DISCONNECT.matcher(msg);
            if (d.matches()) {
                c.summary = d.group(1).trim();
                Matcher cm = COUNT.matcher(c.summary);
                while (cm.find()) {
                    int ok = Integer.parseInt(cm.group(2));
                    int total = cm.group(3) == null ? ok : Integer.parseInt(cm.group(3));
                    c.counts.put(cm.group(1), new int[] {ok, total});
                }
                c.disconnected = true;
                open.remove(key);
                continue;
            }
            Matcher t = TLS.matcher(msg);
            if (t.find()) {
                c.tlsProtocol = t.group(1);
                c.tlsCipher = t.group(2);
                continue;
            }
            Matcher q = QUEUE_CLIENT.matcher(msg);
            if (q.matches()) {
                c.queueIds.add(q.group(1));
                if (q.group(2) != null) {
                    c.saslMethod = q.group(2);
                    c.saslUsername = q.group(3);
                }
                continue;
            }
            Matcher f = SASL_FAILED.matcher(msg);
            if (f.find()) {
                c.saslFailures.add(f.group(1));
                continue;
            }
            if (msg.startsWith("lost connection after ") || msg.startsWith("timeout after ")
                    || msg.startsWith("too many errors after ")) {
                c.endReason = msg;
            } else if (msg.startsWith("SSL_accept error") || msg.contains("TLS library problem")) {
                c.tlsErrors.add(msg);
            } else if (msg.startsWith("NOQUEUE: reject: ") || msg.contains(": reject: ")) {
                c.rejects.add(msg);
            }
        }
        return all;
    }

    /** One client connection to one listener, as Postfix logged it. */
    public static final class Connection {
        private final Listener listener;
        private final int smtpdPid;
        private final int clientPort;
        private final List<String> lines = new ArrayList<>();
        private final Map<String, int[]> counts = new LinkedHashMap<>();
        private final List<String> queueIds = new ArrayList<>();
        private final List<String> saslFailures = new ArrayList<>();
        private final List<String> tlsErrors = new ArrayList<>();
        private final List<String> rejects = new ArrayList<>();
        private boolean disconnected;
        private String summary;
        private String tlsProtocol;
        private String tlsCipher;
        private String saslMethod;
        private String saslUsername;
        private String endReason;

        Connection(Listener listener, int smtpdPid, int clientPort) {
            this.listener = listener;
            this.smtpdPid = smtpdPid;
            this.clientPort = clientPort;
        }

        public Listener listener() {
            return listener;
        }

        public int smtpdPid() {
            return smtpdPid;
        }

        /** The client's TCP port ({@code smtpd_client_port_logging=yes}), -1 if not logged. */
        public int clientPort() {
            return clientPort;
        }

        /** Whether the {@code disconnect from} line (with the summary) has been logged. */
        public boolean disconnected() {
            return disconnected;
        }

        /** The disconnect summary, e.g. {@code ehlo=2 starttls=1 auth=1 mail=1 rcpt=1 data=1 quit=1 commands=8}. */
        public String summary() {
            return summary;
        }

        /** Successful count of a command in the summary ({@code auth=0/1} gives 0), 0 when absent. */
        public int ok(String command) {
            int[] c = counts.get(command.toLowerCase(Locale.ROOT));
            return c == null ? 0 : c[0];
        }

        /** Total count of a command in the summary ({@code auth=0/1} gives 1), 0 when absent. */
        public int total(String command) {
            int[] c = counts.get(command.toLowerCase(Locale.ROOT));
            return c == null ? 0 : c[1];
        }

        /** Summary counts in log order: name to "ok" or "ok/total". */
        public Map<String, String> counts() {
            Map<String, String> m = new LinkedHashMap<>();
            counts.forEach((k, v) -> m.put(k, v[0] == v[1] ? Integer.toString(v[0]) : v[0] + "/" + v[1]));
            return m;
        }

        /** Negotiated protocol, e.g. {@code TLSv1.3}; null without TLS. */
        public String tlsProtocol() {
            return tlsProtocol;
        }

        /** Negotiated cipher, e.g. {@code TLS_AES_256_GCM_SHA384}; null without TLS. */
        public String tlsCipher() {
            return tlsCipher;
        }

        /** SASL mechanism of a successful AUTH, logged with the first MAIL transaction only; else null. */
        public String saslMethod() {
            return saslMethod;
        }

        public String saslUsername() {
            return saslUsername;
        }

        /** Mechanisms of failed AUTH attempts. */
        public List<String> saslFailures() {
            return Collections.unmodifiableList(saslFailures);
        }

        /** Queue ids of the MAIL transactions. */
        public List<String> queueIds() {
            return Collections.unmodifiableList(queueIds);
        }

        /** {@code lost connection after X ...} / {@code timeout after X ...}, or null. */
        public String endReason() {
            return endReason;
        }

        /** {@code SSL_accept error ...} and {@code TLS library problem ...} lines. */
        public List<String> tlsErrors() {
            return Collections.unmodifiableList(tlsErrors);
        }

        /** {@code NOQUEUE: reject: ...} lines. */
        public List<String> rejects() {
            return Collections.unmodifiableList(rejects);
        }

        /** The raw log lines of this connection. */
        public List<String> lines() {
            return Collections.unmodifiableList(lines);
        }

        @Override
        public String toString() {
            return "Connection{" + listener + ", pid=" + smtpdPid + ", clientPort=" + clientPort
                    + (tlsProtocol != null ? ", " + tlsProtocol + " " + tlsCipher : "")
                    + (saslMethod != null ? ", sasl=" + saslMethod : "")
                    + ", summary=" + summary + "}";
        }
    }

    // ------------------------------------------------------------------------------------------------ stop

    /** Stops Postfix and Dovecot (the recorded PIDs only) and waits for them; idempotent. */
    @Override
    public void close() {
        stopQuietly();
        try {
            Runtime.getRuntime().removeShutdownHook(shutdownHook);
        } catch (IllegalStateException | SecurityException ignored) {
            // JVM shutting down: the hook is running or has run
        }
    }

    private synchronized void stopQuietly() {
        if (closed) {
            return;
        }
        closed = true;
        try {
            runStop(workDir);
        } catch (IOException | RuntimeException e) {
            System.err.println("PostfixServer: stopping " + workDir + " failed: " + e);
        }
        if (deleteOnClose) {
            keepMaillogCopy();
            deleteTree(workDir);
        }
    }

    private void keepMaillogCopy() {
        try {
            Path target = Paths.get("target");
            if (Files.isDirectory(target) && Files.exists(maillog())) {
                Files.copy(maillog(), target.resolve("postfix-" + workDir.getFileName() + ".maillog"),
                        StandardCopyOption.REPLACE_EXISTING);
            }
        } catch (IOException | RuntimeException ignored) {
            // best effort
        }
    }

    private static void runStop(Path dir) throws IOException {
        Path stop = dir.resolve("bin/stop.sh");
        if (!Files.exists(stop)) {
            return;
        }
        ProcessBuilder pb = new ProcessBuilder("/bin/sh", stop.toString(), dir.toString())
                .redirectErrorStream(true)
                .redirectOutput(dir.resolve("stop.log").toFile());
        int rc = run(pb, Duration.ofSeconds(30));
        if (rc != 0) {
            throw new IOException("stop.sh exited with " + rc + ": " + readQuietly(dir.resolve("stop.log")));
        }
    }

    private static int run(ProcessBuilder pb, Duration timeout) throws IOException {
        Process p = pb.start();
        try {
            if (!p.waitFor(timeout.toMillis(), TimeUnit.MILLISECONDS)) {
                p.destroyForcibly();
                throw new IOException(pb.command() + " did not finish within " + timeout);
            }
            return p.exitValue();
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            p.destroyForcibly();
            throw new IOException("interrupted while running " + pb.command(), e);
        }
    }

    // ------------------------------------------------------------------------------------------------ helpers

    private static Path keytool() {
        return Paths.get(System.getProperty("java.home"), "bin", "keytool");
    }

    private static Path findOnPath(String name) {
        String path = System.getenv("PATH");
        for (String d : (path == null ? "/usr/bin:/bin" : path).split(":")) {
            if (!d.isEmpty() && Files.isExecutable(Paths.get(d, name))) {
                return Paths.get(d, name);
            }
        }
        return null;
    }

    private static String readQuietly(Path p) {
        try {
            return Files.exists(p) ? new String(Files.readAllBytes(p), StandardCharsets.UTF_8) : "";
        } catch (IOException e) {
            return "(cannot read " + p + ": " + e + ")";
        }
    }

    private static String tail(String s, int lines) {
        String[] all = s.split("\n");
        int from = Math.max(0, all.length - lines);
        return String.join("\n", java.util.Arrays.asList(all).subList(from, all.length));
    }

    private static void deleteTree(Path dir) {
        try (Stream<Path> s = Files.walk(dir)) {
            s.sorted(Comparator.reverseOrder()).forEach(p -> {
                try {
                    Files.deleteIfExists(p);
                } catch (IOException ignored) {
                    // best effort
                }
            });
        } catch (IOException ignored) {
            // best effort
        }
    }

    private static void sleep(long millis) {
        try {
            Thread.sleep(millis);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException("interrupted", e);
        }
    }

    @Override
    public String toString() {
        return "PostfixServer{" + workDir + ", ports=" + ports + (closed ? ", closed" : "") + "}";
    }
}
