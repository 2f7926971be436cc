package dev.smtpwatch.sample;

import java.util.ArrayList;
import java.util.List;
import java.util.Properties;

/**
 * What a sample app sends, from system properties, so tests and the demo drive every library the same way:
 * every {@code mail.*} property goes to the mail session as it is (so tests can set any library key, typos
 * included); {@code sample.*} says who sends what.
 */
public final class SampleSettings {
    private final Properties system;

    public SampleSettings(Properties system) {
        this.system = system;
    }

    /** The {@code mail.*} system properties, for {@code Session.getInstance}. */
    public Properties mailProperties() {
        Properties mail = new Properties();
        for (String name : system.stringPropertyNames()) {
            if (name.startsWith("mail.")) {
                mail.setProperty(name, system.getProperty(name));
            }
        }
        return mail;
    }

    /** {@code smtp} unless {@code mail.transport.protocol} says otherwise (javax.mail 1.4 has no default). */
    public String protocol() {
        return system.getProperty("mail.transport.protocol", "smtp");
    }

    public String user() {
        return system.getProperty("sample.user");
    }

    public String password() {
        return system.getProperty("sample.password");
    }

    public String from() {
        return system.getProperty("sample.from", "sender@example.com");
    }

    public List<String> recipients() {
        List<String> to = new ArrayList<String>();
        for (String address : system.getProperty("sample.to", "recipient@example.org").split(",")) {
            if (!address.trim().isEmpty()) {
                to.add(address.trim());
            }
        }
        return to;
    }

    /** Messages sent over the one connection. */
    public int messages() {
        return Integer.parseInt(system.getProperty("sample.messages", "1"));
    }

    public String subject(int index) {
        return "smtpwatch sample message " + (index + 1);
    }

    public String body() {
        return "Hello from a smtpwatch sample app.\r\n";
    }

    /** What the app prints when its send failed: the library's own one-line message. */
    public static void reportFailure(Exception e) {
        System.err.println("sample app: sending failed: " + e);
    }
}
