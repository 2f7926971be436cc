package dev.smtpwatch.instrumentation.javamail;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.smtpwatch.session.CollectingSink;
import dev.smtpwatch.session.SessionRecorder;
import dev.smtpwatch.session.SmtpConfig;
import java.util.Arrays;
import java.util.Properties;
import java.util.TreeSet;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

class JavaMailHooksTest {
    private final CollectingSink sink = new CollectingSink();

    /** What the hooks read of a mail session: its properties and whether it has an authenticator. */
    public static final class MailSession {
        private final Properties properties;
        private final Object authenticator;

        MailSession(Properties properties, Object authenticator) {
            this.properties = properties;
            this.authenticator = authenticator;
        }

        public Properties getProperties() {
            return properties;
        }
    }

    @AfterEach
    void uninstall() {
        JavaMailHooks.install(null);
    }

    private SmtpConfig connect(MailSession mailSession) throws ReflectiveOperationException {
        return connect(mailSession, false, null);
    }

    private SmtpConfig connect(MailSession mailSession, boolean implicitTls, String password)
        throws ReflectiveOperationException {
        SessionRecorder recorder = new SessionRecorder(sink, false, 200);
        JavaMailHooks.install(recorder);
        Object transport = new Object();
        JavaMailHooks.connectStarted(transport, "mail.example.com", -1, mailSession, "smtp", implicitTls, 25,
            password == null ? null : "user", password);
        JavaMailHooks.connectEnded(transport, true, null, null);
        JavaMailHooks.connectionClosed(transport);
        return sink.ended.get(sink.ended.size() - 1).config();
    }

    @Test
    void everyConnectSeesThePropertiesAsTheyAreThen() throws Exception {
        Properties props = new Properties();
        props.setProperty("mail.smtp.host", "mail.example.com");
        props.setProperty("mail.smtp.starttls.enabel", "true");
        MailSession session = new MailSession(props, null);

        SmtpConfig first = connect(session);
        assertEquals(new TreeSet<>(Arrays.asList("mail.smtp.host", "mail.smtp.starttls.enabel")),
            first.mailPropertyNames());
        assertFalse(first.startTlsEnable());
        assertEquals(first.mailPropertyNames(), connect(session).mailPropertyNames(), "unchanged: the same names");

        // the typo fixed between two connects: as many keys as before, one of them renamed
        props.remove("mail.smtp.starttls.enabel");
        props.setProperty("mail.smtp.starttls.enable", "true");
        SmtpConfig fixed = connect(session);
        assertEquals(new TreeSet<>(Arrays.asList("mail.smtp.host", "mail.smtp.starttls.enable")),
            fixed.mailPropertyNames());
        assertTrue(fixed.startTlsEnable());

        props.setProperty("mail.smtp.timeout", "5000");
        SmtpConfig added = connect(session);
        assertTrue(added.mailPropertyNames().contains("mail.smtp.timeout"));
        assertEquals(5000, added.timeout());
    }

    @Test
    void aValueChangedBetweenTwoConnectsIsSeenAtTheSecond() throws Exception {
        Properties props = new Properties();
        props.setProperty("mail.smtp.starttls.enable", "false");
        props.put("mail.smtp.timeout", 1000);
        MailSession session = new MailSession(props, null);
        SmtpConfig first = connect(session);
        assertFalse(first.startTlsEnable());
        assertEquals(1000, first.timeout());

        props.setProperty("mail.smtp.starttls.enable", "true");
        props.put("mail.smtp.timeout", 2000);
        SmtpConfig second = connect(session);
        assertTrue(second.startTlsEnable());
        assertEquals(2000, second.timeout());
    }

    @Test
    void aValueFromTheDefaultsBehindThePropertiesIsReadAtEveryConnect() throws Exception {
        Properties defaults = new Properties();
        defaults.setProperty("mail.smtp.starttls.required", "false");
        Properties props = new Properties(defaults);
        props.setProperty("mail.smtp.starttls.enable", "true");
        MailSession session = new MailSession(props, null);
        assertFalse(connect(session).startTlsRequired());

        defaults.setProperty("mail.smtp.starttls.required", "true");
        assertTrue(connect(session).startTlsRequired());
    }

    @Test
    void theTransportsTlsModeAndTheLoginAreEachConnectsOwn() throws Exception {
        Properties props = new Properties();
        props.setProperty("mail.smtp.auth", "true");
        MailSession session = new MailSession(props, null);
        SmtpConfig plain = connect(session, false, "Canary-secret");
        SmtpConfig implicit = connect(session, true, null);
        SmtpConfig again = connect(session, false, "Canary-secret");
        assertFalse(plain.sslEnable());
        assertTrue(plain.credentials());
        assertTrue(implicit.sslEnable());
        assertFalse(implicit.credentials());
        assertFalse(again.sslEnable());
        assertTrue(again.credentials());
        assertTrue(again.auth());
    }

    @Test
    void theAuthenticatorIsSeenOnlyWhenNoPasswordWasGiven() throws Exception {
        assertTrue(connect(new MailSession(new Properties(), new Object())).authenticator());
        assertFalse(connect(new MailSession(new Properties(), null)).authenticator());
    }
}
