package dev.smtpwatch.sample.spring5;

import dev.smtpwatch.sample.SampleSettings;
import java.util.List;
import javax.mail.MessagingException;
import javax.mail.internet.MimeMessage;
import org.springframework.core.io.ByteArrayResource;
import org.springframework.mail.MailException;
import org.springframework.mail.SimpleMailMessage;
import org.springframework.mail.javamail.JavaMailSenderImpl;
import org.springframework.mail.javamail.MimeMessageHelper;

/**
 * A legacy Spring 5 app: a {@link JavaMailSenderImpl} configured from system properties (host and port from
 * {@code mail.smtp.host}/{@code mail.smtp.port}, every {@code mail.*} property as JavaMail property), sending
 * one plain message and one with an attachment, each with its own {@code send} call. With
 * {@code -Dsample.testConnection=true} it only checks the connection.
 */
public final class SpringSendMail {
    private SpringSendMail() {
    }

    public static void main(String[] args) {
        SampleSettings settings = new SampleSettings(System.getProperties());
        JavaMailSenderImpl sender = new JavaMailSenderImpl();
        sender.setJavaMailProperties(settings.mailProperties());
        sender.setHost(System.getProperty("mail.smtp.host", "localhost"));
        sender.setPort(Integer.parseInt(System.getProperty("mail.smtp.port", "25")));
        sender.setUsername(settings.user());
        sender.setPassword(settings.password());
        try {
            if (Boolean.getBoolean("sample.testConnection")) {
                sender.testConnection();
                System.out.println("sample app: connection ok");
                return;
            }
            List<String> to = settings.recipients();
            SimpleMailMessage plain = new SimpleMailMessage();
            plain.setFrom(settings.from());
            plain.setTo(to.toArray(new String[0]));
            plain.setSubject(settings.subject(0));
            plain.setText(settings.body());
            sender.send(plain);

            MimeMessage withAttachment = sender.createMimeMessage();
            MimeMessageHelper helper = new MimeMessageHelper(withAttachment, true);
            helper.setFrom(settings.from());
            helper.setTo(to.toArray(new String[0]));
            helper.setSubject(settings.subject(1));
            helper.setText(settings.body());
            helper.addAttachment("report.txt", new ByteArrayResource("attached\r\n".getBytes("US-ASCII")));
            sender.send(withAttachment);
            System.out.println("sample app: sent 2 message(s)");
        } catch (MailException | MessagingException | java.io.UnsupportedEncodingException e) {
            SampleSettings.reportFailure(e);
            System.exit(1);
        }
    }
}
