package dev.smtpwatch.sample.wrappers;

import dev.smtpwatch.sample.SampleSettings;
import org.simplejavamail.api.email.Email;
import org.simplejavamail.api.mailer.Mailer;
import org.simplejavamail.api.mailer.config.TransportStrategy;
import org.simplejavamail.email.EmailBuilder;
import org.simplejavamail.mailer.MailerBuilder;

/**
 * Simple Java Mail as its documentation starts: STARTTLS ({@code SMTP_TLS}) with credentials, everything else
 * left at the library's defaults, including its certificate handling.
 */
final class SimpleJavaMail {
    private SimpleJavaMail() {
    }

    static void send(SampleSettings settings) {
        Email email = EmailBuilder.startingBlank()
            .from(settings.from())
            .toMultiple(settings.recipients())
            .withSubject(settings.subject(0))
            .withPlainText(settings.body())
            .buildEmail();
        try (Mailer mailer = MailerBuilder
                .withSMTPServer(System.getProperty("mail.smtp.host"), Integer.getInteger("mail.smtp.port"),
                    settings.user(), settings.password())
                .withTransportStrategy(TransportStrategy.SMTP_TLS)
                .buildMailer()) {
            mailer.sendMail(email);
        } catch (Exception e) {
            throw new IllegalStateException("Simple Java Mail could not send: " + e, e);
        }
    }
}
