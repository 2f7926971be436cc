package dev.smtpwatch.sample.angusmail;

import dev.smtpwatch.sample.SampleSettings;
import jakarta.mail.Message;
import jakarta.mail.MessagingException;
import jakarta.mail.Session;
import jakarta.mail.Transport;
import jakarta.mail.internet.InternetAddress;
import jakarta.mail.internet.MimeMessage;

/** A plain Angus Mail 2 (jakarta.mail) app: one connection, {@code sample.messages} messages, settings from system properties. */
public final class SendMail {
    private SendMail() {
    }

    public static void main(String[] args) {
        SampleSettings settings = new SampleSettings(System.getProperties());
        Session session = Session.getInstance(settings.mailProperties());
        try (Transport transport = session.getTransport()) {
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
        } catch (MessagingException e) {
            SampleSettings.reportFailure(e);
            System.exit(1);
        }
    }
}
