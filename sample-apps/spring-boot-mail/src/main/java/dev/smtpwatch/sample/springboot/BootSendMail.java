package dev.smtpwatch.sample.springboot;

import jakarta.mail.internet.MimeMessage;
import org.springframework.boot.CommandLineRunner;
import org.springframework.boot.SpringApplication;
import org.springframework.boot.autoconfigure.SpringBootApplication;
import org.springframework.context.annotation.Bean;
import org.springframework.core.env.Environment;
import org.springframework.core.io.ByteArrayResource;
import org.springframework.mail.SimpleMailMessage;
import org.springframework.mail.javamail.JavaMailSender;
import org.springframework.mail.javamail.JavaMailSenderImpl;
import org.springframework.mail.javamail.MimeMessageHelper;

/**
 * A Spring Boot 3 app configured only by {@code spring.mail.*} properties on the command line: sends one
 * {@link SimpleMailMessage} and one {@link MimeMessage} with an attachment, then exits. With
 * {@code --sample.test-connection=true} it runs the connection check Boot's mail health indicator uses instead.
 */
@SpringBootApplication
public class BootSendMail {
    public static void main(String[] args) {
        SpringApplication app = new SpringApplication(BootSendMail.class);
        app.setDefaultProperties(java.util.Collections.singletonMap("spring.main.banner-mode", "off"));
        try {
            SpringApplication.exit(app.run(args));
        } catch (RuntimeException e) {
            System.err.println("sample app: sending failed: " + mailFailure(e));
            System.exit(1);
        }
    }

    /** Spring's own mail exception when there is one (Boot may wrap it in "Failed to execute CommandLineRunner"). */
    private static Throwable mailFailure(Throwable e) {
        for (Throwable t = e; t != null; t = t.getCause()) {
            if (t instanceof org.springframework.mail.MailException) {
                return t;
            }
        }
        return e;
    }

    @Bean
    CommandLineRunner send(JavaMailSender sender, Environment env) {
        return args -> {
            if (env.getProperty("sample.test-connection", Boolean.class, false)) {
                ((JavaMailSenderImpl) sender).testConnection();
                System.out.println("sample app: connection ok");
                return;
            }
            String from = env.getProperty("sample.from", "sender@example.com");
            String to = env.getProperty("sample.to", "recipient@example.org");

            SimpleMailMessage plain = new SimpleMailMessage();
            plain.setFrom(from);
            plain.setTo(to);
            plain.setSubject("smtpwatch sample message 1");
            plain.setText("Hello from a smtpwatch Spring Boot sample app.");
            sender.send(plain);

            MimeMessage withAttachment = sender.createMimeMessage();
            MimeMessageHelper helper = new MimeMessageHelper(withAttachment, true);
            helper.setFrom(from);
            helper.setTo(to);
            helper.setSubject("smtpwatch sample message 2");
            helper.setText("Hello again, with an attachment.");
            helper.addAttachment("report.txt", new ByteArrayResource("attached\r\n".getBytes("US-ASCII")));
            sender.send(withAttachment);
            System.out.println("sample app: sent 2 message(s)");
        };
    }
}
