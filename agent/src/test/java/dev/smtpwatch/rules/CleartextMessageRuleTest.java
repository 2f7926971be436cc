package dev.smtpwatch.rules;

import static dev.smtpwatch.rules.Sessions.assertNone;
import static dev.smtpwatch.rules.Sessions.assertOnly;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.smtpwatch.session.SessionFixture;
import org.junit.jupiter.api.Test;

class CleartextMessageRuleTest {
    private final Rule rule = new CleartextMessageRule();

    private static SessionFixture relay(String host) {
        return SessionFixture.at(host, 25).greeting(220).ehlo(false);
    }

    @Test
    void messageToARemoteRelayInPlaintext() {
        Finding f = assertOnly(rule.judge(relay("relay.example.com").sendMessage().quit().end()), "cleartext-message",
            Severity.MEDIUM, "relay.example.com:25",
            "set mail.smtp.starttls.enable=true and mail.smtp.starttls.required=true");
        assertTrue(f.message().contains("mail.smtp.starttls.enable is not set"), f.message());
        assertFalse(f.message().contains("loopback"), f.message());
    }

    @Test
    void loopbackIsInfo() {
        for (String host : new String[] {"localhost", "127.0.0.1", "127.1.2.3", "::1", "0:0:0:0:0:0:0:1"}) {
            Finding f = assertOnly(rule.judge(relay(host).sendMessage().quit().end()), "cleartext-message",
                Severity.INFO, SessionFacts.where(relay(host).end()), "mail.smtp.starttls.required=true");
            assertTrue(f.message().contains("(loopback)"), f.message());
        }
    }

    @Test
    void namesThatOnlyLookLocalAreNotLoopback() {
        assertOnly(rule.judge(relay("localhost.example.com").sendMessage().end()), "cleartext-message",
            Severity.MEDIUM, "localhost.example.com:25", "starttls.required=true");
        assertOnly(rule.judge(relay("10.127.0.1").sendMessage().end()), "cleartext-message", Severity.MEDIUM,
            "10.127.0.1:25", "starttls.required=true");
    }

    @Test
    void theFixNamesTheKeysOfEachSessionsProtocolAndSpringsSpellingForSpringSessions() {
        for (int i = 0; i < 2; i++) { // the second time, from what the first made
            assertEquals("set mail.smtp.starttls.enable=true and mail.smtp.starttls.required=true",
                rule.judge(relay("relay.example.com").sendMessage().end()).get(0).fix());
            assertEquals("set mail.relay.starttls.enable=true and mail.relay.starttls.required=true",
                rule.judge(SessionFixture.at("relay.example.com", 25).protocol("relay").greeting(220).ehlo(false)
                    .sendMessage().end()).get(0).fix());
            assertEquals("set mail.smtp.starttls.enable=true and mail.smtp.starttls.required=true (Spring Boot:"
                + " spring.mail.properties.mail.smtp.starttls.enable=true and"
                + " spring.mail.properties.mail.smtp.starttls.required=true)",
                rule.judge(SessionFixture.at("relay.example.com", 25).entry("spring.JavaMailSender.send").greeting(220)
                    .ehlo(false).sendMessage().end()).get(0).fix());
        }
    }

    @Test
    void bdatCountsToo() {
        assertOnly(rule.judge(relay("relay.example.com").command("MAIL FROM:<a@example.com>", 250)
            .command("RCPT TO:<b@example.org>", 250).command("BDAT 512 LAST", 250).end()), "cleartext-message",
            Severity.MEDIUM, "relay.example.com:25", "starttls.required=true");
    }

    @Test
    void noFindingOverTlsOrWithoutAMessage() {
        assertNone(rule.judge(Sessions.startTlsSession(Sessions.startTlsConfig(587))));
        assertNone(rule.judge(Sessions.implicitTlsSession(Sessions.implicitTlsConfig(465))));
        assertNone(rule.judge(relay("relay.example.com").command("MAIL FROM:<a@example.com>", 250)
            .command("RCPT TO:<b@example.org>", 550, "550 5.1.1 unknown user").quit().end()));
    }
}
