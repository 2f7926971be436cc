package dev.smtpwatch.sample.javaxmail;

import dev.smtpwatch.sample.SampleSettings;
import java.lang.reflect.InvocationTargetException;
import java.lang.reflect.Method;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.Paths;
import java.util.ArrayList;
import java.util.List;
import java.util.Properties;
import javax.mail.Authenticator;
import javax.mail.Message;
import javax.mail.MessagingException;
import javax.mail.PasswordAuthentication;
import javax.mail.Session;
import javax.mail.Transport;
import javax.mail.internet.InternetAddress;
import javax.mail.internet.MimeMessage;

/**
 * The ways real apps call the library, one per {@code sample.pattern}, as its documentation shows them: the
 * static {@code Transport.send} with an {@code Authenticator}, a reused or reconnected {@code Transport}, threads
 * sharing a {@code Session}, and so on. The sources of the jakarta.mail lines are generated from this file.
 *
 * <p>{@code sample.startSignal=<file>}: write {@code <file>.ready} and wait for {@code <file>} before sending, so
 * that a test can attach the agent at runtime first.
 */
public final class UsagePatterns {
    private static final long SIGNAL_TIMEOUT_MILLIS = 60_000;

    private final SampleSettings settings;
    private final Properties props;

    private UsagePatterns(SampleSettings settings) {
        this.settings = settings;
        this.props = settings.mailProperties();
    }

    public static void main(String[] args) throws Exception {
        SampleSettings settings = new SampleSettings(System.getProperties());
        String pattern = System.getProperty("sample.pattern", "");
        awaitStartSignal(System.getProperty("sample.startSignal"));
        UsagePatterns app = new UsagePatterns(settings);
        try {
            int sent = app.run(pattern);
            System.out.println("sample app: sent " + sent + " message(s)");
        } catch (MessagingException e) {
            SampleSettings.reportFailure(e);
            System.exit(1);
        }
    }

    private int run(String pattern) throws Exception {
        switch (pattern) {
            case "static-send-authenticator":
                Transport.send(message(session(true), 0));
                return 1;
            case "static-send-credentials":
                sendWithCredentials(message(session(false), 0));
                return 1;
            case "connect-authenticator":
                return connectAndSend(session(true), CONNECT, 1);
            case "connect-user-password":
                return connectAndSend(session(false), CONNECT_USER_PASSWORD, 1);
            case "connect-host-port":
                return connectAndSend(session(false), CONNECT_HOST_PORT, 1);
            case "reused-transport":
                return connectAndSend(session(true), CONNECT, 3);
            case "reconnect":
                Session session = session(true);
                Transport transport = session.getTransport(settings.protocol());
                return sendOver(session, transport, CONNECT, 1) + sendOver(session, transport, CONNECT, 1);
            case "default-instance":
                Transport.send(message(Session.getDefaultInstance(props, authenticator()), 0));
                return 1;
            case "threads-sharing-session":
                return threadsSharing(session(true), Integer.getInteger("sample.threads", 3),
                    Integer.getInteger("sample.messagesPerThread", 1), Boolean.getBoolean("sample.addressPerThread"));
            case "retry-loop":
                return retry(session(false), Integer.parseInt(System.getProperty("sample.attempts", "300")));
            default:
                throw new IllegalArgumentException("unknown sample.pattern '" + pattern + "'");
        }
    }

    /**
     * {@code Transport.send(Message, String, String)} came with JavaMail 1.5; javax.mail 1.4 lacks it, and this
     * source is compiled against 1.4 too.
     */
    private void sendWithCredentials(Message message) throws Exception {
        Method send;
        try {
            send = Transport.class.getMethod("send", Message.class, String.class, String.class);
        } catch (NoSuchMethodException e) {
            System.out.println("sample app: this library version has no Transport.send(message, user, password)");
            System.exit(3);
            return;
        }
        try {
            send.invoke(null, message, settings.user(), settings.password());
        } catch (InvocationTargetException e) {
            throw e.getCause() instanceof Exception ? (Exception) e.getCause() : e;
        }
    }

    private int connectAndSend(Session session, Connect how, int messages) throws MessagingException {
        return sendOver(session, session.getTransport(settings.protocol()), how, messages);
    }

    private int sendOver(Session session, Transport transport, Connect how, int messages) throws MessagingException {
        how.to(transport, settings, props);
        try {
            for (int i = 0; i < messages; i++) {
                Message message = message(session, i);
                transport.sendMessage(message, message.getAllRecipients());
            }
        } finally {
            transport.close();
        }
        return messages;
    }

    /**
     * {@code threads} threads sharing one Session, each sending {@code each} messages, one connection per message
     * ({@code Transport.send}); with {@code addressPerThread} thread {@code i} sends from and to {@code t<i>-<from>}
     * and {@code t<i>-<to>}, so that a session carrying another thread's commands shows.
     */
    private int threadsSharing(final Session session, int threads, final int each, final boolean addressPerThread)
        throws Exception {
        final List<Exception> failures = new ArrayList<Exception>();
        List<Thread> started = new ArrayList<Thread>();
        for (int t = 0; t < threads; t++) {
            final int index = t;
            Thread thread = new Thread(new Runnable() {
                @Override
                public void run() {
                    try {
                        for (int m = 0; m < each; m++) {
                            String prefix = addressPerThread ? "t" + index + "-" : "";
                            Transport.send(message(session, index * each + m, prefix));
                        }
                    } catch (MessagingException e) {
                        synchronized (failures) {
                            failures.add(e);
                        }
                    }
                }
            }, "sender-" + t);
            thread.start();
            started.add(thread);
        }
        for (Thread thread : started) {
            thread.join();
        }
        if (!failures.isEmpty()) {
            throw (MessagingException) failures.get(0);
        }
        return threads * each;
    }

    /**
     * An app that retries a failing send in a tight loop (as job runners and some libraries' test suites do): the
     * agent must not turn it into as many report lines.
     */
    private int retry(Session session, int attempts) {
        int sent = 0;
        for (int i = 0; i < attempts && sent == 0; i++) {
            try {
                Transport.send(message(session, i));
                sent++;
            } catch (MessagingException expected) {
                // the app's own retry policy: try again at once
            }
        }
        return sent;
    }

    private Session session(boolean withAuthenticator) {
        return withAuthenticator ? Session.getInstance(props, authenticator()) : Session.getInstance(props);
    }

    private Authenticator authenticator() {
        return new Authenticator() {
            @Override
            protected PasswordAuthentication getPasswordAuthentication() {
                return new PasswordAuthentication(settings.user(), settings.password());
            }
        };
    }

    private MimeMessage message(Session session, int index) throws MessagingException {
        return message(session, index, "");
    }

    /** A message from and to the configured addresses, each with {@code prefix} before it. */
    private MimeMessage message(Session session, int index, String prefix) throws MessagingException {
        MimeMessage message = new MimeMessage(session);
        message.setFrom(new InternetAddress(prefix + settings.from()));
        for (String to : settings.recipients()) {
            message.addRecipient(Message.RecipientType.TO, new InternetAddress(prefix + to));
        }
        message.setSubject(settings.subject(index));
        message.setText(settings.body());
        message.saveChanges();
        return message;
    }

    private static void awaitStartSignal(String signal) throws Exception {
        if (signal == null || signal.isEmpty()) {
            return;
        }
        Path go = Paths.get(signal);
        Files.write(Paths.get(signal + ".ready"), new byte[0]);
        long deadline = System.currentTimeMillis() + SIGNAL_TIMEOUT_MILLIS;
        while (!Files.exists(go)) {
            if (System.currentTimeMillis() > deadline) {
                throw new IllegalStateException("no start signal " + go);
            }
            Thread.sleep(20);
        }
    }

    private interface Connect {
        void to(Transport transport, SampleSettings settings, Properties props) throws MessagingException;
    }

    /** {@code connect()}: host and port from the properties, the password from the Authenticator. */
    private static final Connect CONNECT = new Connect() {
        @Override
        public void to(Transport transport, SampleSettings settings, Properties props) throws MessagingException {
            transport.connect();
        }
    };

    private static final Connect CONNECT_USER_PASSWORD = new Connect() {
        @Override
        public void to(Transport transport, SampleSettings settings, Properties props) throws MessagingException {
            transport.connect(settings.user(), settings.password());
        }
    };

    private static final Connect CONNECT_HOST_PORT = new Connect() {
        @Override
        public void to(Transport transport, SampleSettings settings, Properties props) throws MessagingException {
            String prefix = "mail." + settings.protocol() + ".";
            transport.connect(props.getProperty(prefix + "host"), Integer.parseInt(props.getProperty(prefix + "port")),
                settings.user(), settings.password());
        }
    };
}
