package dev.smtpwatch.sample.jakartamail;

import dev.smtpwatch.sample.SampleSettings;
import jakarta.mail.Message;
import jakarta.mail.MessagingException;
import jakarta.mail.Session;
import jakarta.mail.Transport;
import jakarta.mail.internet.InternetAddress;
import jakarta.mail.internet.MimeMessage;

/** A plain Jakarta Mail app (Angus Mail 1/2, com.sun.mail jakarta.mail 2.0): one connection, {@code sample.messages} messages, settings from system properties. */
public final class SendMail {
    private SendMail() {
    }

    public static void main(String[] args) {
        SampleSettings settings = new SampleSettings(System.getProperties());
        Session session = Session.getInstance(settings.mailProperties());
        Transport transport = null;
        boolean sent = false;
        try {
            transport = session.getTransport(settings.protocol());
            transport.connect(settings.user(), settings.password());
            for (int i = 0; i < settings.messages(); i++) {
                MimeMessage message = new MimeMessage(session);
                message.setFrom(new InternetAddress(settings.from()));
                for (String to : settings.recipients()) {
                    message.addRecipient(Message.RecipientType.TO, new InternetAddress(to));
                }
                message.setSubject(settings.subject(i));
                message.setText(settings.body());
                message.saveChanges();
                transport.sendMessage(message, message.getAllRecipients());
            }
            System.out.println("sample app: sent " + settings.messages() + " message(s)");
            sent = true;
        } catch (MessagingException e) {
            SampleSettings.reportFailure(e);
        } finally {
            closeQuietly(transport);
        }
        if (!sent) {
            System.exit(1);
        }
    }

    // Transport is AutoCloseable only from JavaMail 1.6 on; this app also runs with 1.4.
    private static void closeQuietly(Transport transport) {
        if (transport != null) {
            try {
                transport.close();
            } catch (MessagingException ignored) {
                // the mail went out or the failure was reported already
            }
        }
    }
}
