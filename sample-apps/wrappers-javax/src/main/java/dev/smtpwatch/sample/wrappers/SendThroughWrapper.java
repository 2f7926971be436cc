package dev.smtpwatch.sample.wrappers;

import dev.smtpwatch.sample.SampleSettings;
import org.apache.commons.mail.DefaultAuthenticator;
import org.apache.commons.mail.EmailException;
import org.apache.commons.mail.SimpleEmail;
import org.apache.logging.log4j.LogManager;

/**
 * Mail sent the way apps send it through a library that wraps javax.mail or Jakarta Mail, chosen by
 * {@code sample.wrapper}; each library is configured through its own API, the way its documentation shows.
 * The jakarta line's copy of this file is generated (namespace replaced); Simple Java Mail, jakarta only, is
 * {@code SimpleJavaMail} there.
 */
public final class SendThroughWrapper {
    private SendThroughWrapper() {
    }

    public static void main(String[] args) throws Exception {
        SampleSettings settings = new SampleSettings(System.getProperties());
        String wrapper = System.getProperty("sample.wrapper", "");
        try {
            if ("commons-email".equals(wrapper)) {
                commonsEmail(settings);
            } else if ("log4j".equals(wrapper)) {
                log4jSmtpAppender();
            } else if ("simple-java-mail".equals(wrapper)) {
                SimpleJavaMail.send(settings);
            } else {
                throw new IllegalArgumentException("unknown sample.wrapper '" + wrapper + "'");
            }
            System.out.println("sample app: sent 1 message(s)");
        } catch (EmailException | RuntimeException e) {
            SampleSettings.reportFailure(e);
            System.exit(1);
        }
    }

    /** Commons Email: its setters, and credentials through its {@code DefaultAuthenticator}. */
    private static void commonsEmail(SampleSettings settings) throws EmailException {
        SimpleEmail email = new SimpleEmail();
        email.setHostName(System.getProperty("mail.smtp.host"));
        email.setSmtpPort(Integer.parseInt(System.getProperty("mail.smtp.port")));
        email.setAuthenticator(new DefaultAuthenticator(settings.user(), settings.password()));
        email.setStartTLSEnabled(Boolean.getBoolean("mail.smtp.starttls.enable"));
        email.setStartTLSRequired(Boolean.getBoolean("mail.smtp.starttls.required"));
        email.setSSLCheckServerIdentity(Boolean.getBoolean("mail.smtp.ssl.checkserveridentity"));
        email.setFrom(settings.from());
        for (String to : settings.recipients()) {
            email.addTo(to);
        }
        email.setSubject(settings.subject(0));
        email.setMsg(settings.body());
        email.send();
    }

    /**
     * Log4j 2's SMTP appender (log4j2.xml): an ERROR event is mailed. It builds its mail session from the system
     * properties plus its own attributes, with an Authenticator for the credentials, and reports a failed send
     * only through Log4j's status logger, as in production. {@code sample.lingerMs}: how long the app lives on
     * before it stops its logging, as a server would.
     */
    private static void log4jSmtpAppender() throws InterruptedException {
        LogManager.getLogger(SendThroughWrapper.class).error("smtpwatch sample alert: the nightly job failed");
        Thread.sleep(Long.getLong("sample.lingerMs", 0));
        LogManager.shutdown();
    }
}
