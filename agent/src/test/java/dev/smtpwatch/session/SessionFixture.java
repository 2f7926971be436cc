package dev.smtpwatch.session;

import java.util.Arrays;
import java.util.HashSet;
import java.util.Set;

/**
 * Builds finished sessions the way the recorder would, for rule and exporter unit tests. The end-to-end path
 * (agent attached to a real app) is covered by the integration tests; this is for exhaustive rule cases.
 */
public final class SessionFixture {
    private String host = "smtp.example.com";
    private int port = 587;
    private String library = MailLibrary.JAVAX;
    private String protocol = "smtp";
    private boolean startTlsEnable;
    private boolean startTlsRequired;
    private boolean sslEnable;
    private boolean auth;
    private String sslTrust;
    private Boolean checkServerIdentity;
    private String socketFactory;
    private final Set<String> propertyNames = new HashSet<String>();
    private String entryId;
    /** Set, as a well-configured app has them: the rule tests are about other things. */
    private int[] timeouts = {10000, 30000, 30000};
    private SmtpSession session;
    private boolean tls;

    public static SessionFixture at(String host, int port) {
        SessionFixture f = new SessionFixture();
        f.host = host;
        f.port = port;
        return f;
    }

    public SessionFixture library(String name) {
        library = name;
        return this;
    }

    public SessionFixture protocol(String name) {
        protocol = name;
        return this;
    }

    public SessionFixture startTls(boolean enable, boolean required) {
        startTlsEnable = enable;
        startTlsRequired = required;
        return this;
    }

    /** Implicit TLS configured ({@code ssl.enable=true} or protocol smtps). */
    public SessionFixture sslEnable() {
        sslEnable = true;
        return this;
    }

    public SessionFixture auth() {
        auth = true;
        return this;
    }

    public SessionFixture sslTrust(String value) {
        sslTrust = value;
        return this;
    }

    public SessionFixture checkServerIdentity(boolean value) {
        checkServerIdentity = value;
        return this;
    }

    public SessionFixture socketFactory(String className) {
        socketFactory = className;
        return this;
    }

    /** A {@code mail.*} property name present in the session (only names are recorded). */
    public SessionFixture property(String name) {
        propertyNames.add(name);
        return this;
    }

    /** {@code connectiontimeout}, {@code timeout}, {@code writetimeout} in ms; 0 = unset. */
    public SessionFixture timeouts(int connection, int read, int write) {
        timeouts = new int[] {connection, read, write};
        return this;
    }

    /** Certificates the server presented, leaf first. */
    public SessionFixture serverCertificates(ServerCertificate... chain) {
        session().serverCertificates(Arrays.asList(chain));
        return this;
    }

    /** The watchdog found a wait of this session stuck; {@code endNanos} 0: still waiting at the end. */
    public SessionFixture stuck(String step, String thread, long sinceNanos, long endNanos) {
        StuckWait wait = new StuckWait(step, thread, sinceNanos);
        if (endNanos != 0) {
            wait.end(endNanos);
        }
        session().stuck(wait);
        return this;
    }

    /** The app-level call that caused the session, e.g. {@code spring.JavaMailSender.send}. */
    public SessionFixture entry(String id) {
        entryId = id;
        return this;
    }

    /** The server greeting; starts the recorded conversation. */
    public SessionFixture greeting(int code) {
        session().greeting(code);
        return this;
    }

    /** A command line as the library wrote it, and the server's reply (text kept for 4xx/5xx). */
    public SessionFixture command(String line, int reply, String replyText) {
        CommandLine parsed = new CommandLine(line.getBytes(java.nio.charset.StandardCharsets.UTF_8));
        String verb = parsed.verb();
        boolean path = "MAIL".equals(verb) || "RCPT".equals(verb);
        String arg = "AUTH".equals(verb) ? parsed.firstToken() : path ? parsed.path() : null;
        SmtpCommand command = session().addCommand(verb, arg, path, tls);
        command.reply(reply, replyText);
        if (command.is("EHLO") && !tls && reply == 250) {
            session().startTlsOffered(replyText != null && replyText.contains("STARTTLS"));
        }
        return this;
    }

    public SessionFixture command(String line, int reply) {
        return command(line, reply, null);
    }

    /** The TLS handshake completed: every later command goes over TLS. */
    public SessionFixture tlsEstablished(String protocolVersion, String cipher) {
        session().tlsEstablished(protocolVersion, cipher);
        tls = true;
        return this;
    }

    /** EHLO answered 250, advertising AUTH and, when asked, STARTTLS. */
    public SessionFixture ehlo(boolean offersStartTls) {
        return command("EHLO client", 250, "250-" + host + "\n" + (offersStartTls ? "250-STARTTLS\n" : "")
            + "250 AUTH PLAIN LOGIN\n");
    }

    /** STARTTLS accepted, the handshake done, and EHLO again over TLS. */
    public SessionFixture upgradeToTls(String protocolVersion, String cipher) {
        return command("STARTTLS", 220).tlsEstablished(protocolVersion, cipher).command("EHLO client", 250);
    }

    /** AUTH PLAIN (one entry, as recorded), with the server's final reply. */
    public SessionFixture authenticate(int reply) {
        return command("AUTH PLAIN AHVzZXIAcGFzcw==", reply);
    }

    /** One message handed over with DATA and accepted. */
    public SessionFixture sendMessage() {
        return command("MAIL FROM:<alice@example.com>", 250).command("RCPT TO:<bob@example.org>", 250)
            .command("DATA", 354).messageAccepted("4Xb2Qk0Z3Tz9");
    }

    public SessionFixture quit() {
        return command("QUIT", 221);
    }

    /** A message accepted with Postfix's reply, which names {@code queueId} (none when null). */
    public SessionFixture messageAccepted(String queueId) {
        session().messageAccepted(queueId == null ? "250 2.0.0 Ok" : "250 2.0.0 Ok: queued as " + queueId);
        return this;
    }

    public SessionFixture failed(Throwable thrown) {
        session().failed(SmtpError.of(thrown));
        return this;
    }

    public SmtpSession end() {
        SmtpSession s = session();
        s.finish(System.nanoTime(), false);
        return s;
    }

    private SmtpSession session() {
        if (session == null) {
            boolean identity = checkServerIdentity != null ? checkServerIdentity : MailLibrary.ANGUS.equals(library);
            SmtpConfig config = new SmtpConfig(protocol, startTlsEnable, startTlsRequired, sslEnable, auth, auth, false,
                sslTrust, identity, socketFactory, SmtpConfig.propertyNames(propertyNames), timeouts[0], timeouts[1],
                timeouts[2]);
            session = new SmtpSession(System.currentTimeMillis(), System.nanoTime(), new MailLibrary(library,
                Object.class), host, port, config, 200);
            if (entryId != null) {
                session.causedBy(new EntryCall(entryId, entryId, System.currentTimeMillis(), System.nanoTime(), null),
                    null);
            }
        }
        return session;
    }
}
