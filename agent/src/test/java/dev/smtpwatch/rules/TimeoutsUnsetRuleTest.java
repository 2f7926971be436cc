package dev.smtpwatch.rules;

import static dev.smtpwatch.rules.Sessions.assertNone;
import static dev.smtpwatch.rules.Sessions.assertOnly;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import org.junit.jupiter.api.Test;

class TimeoutsUnsetRuleTest {
    private final Rule rule = new TimeoutsUnsetRule();

    @Test
    void noTimeoutAtAllNamesAllThreeKeys() {
        Finding f = assertOnly(rule.judge(Sessions.startTlsSession(Sessions.startTlsConfig(587).timeouts(0, 0, 0))),
            "timeouts-unset", Severity.MEDIUM, "smtp.example.com:587",
            "set mail.smtp.connectiontimeout=10000, mail.smtp.timeout=30000 and mail.smtp.writetimeout=30000");
        assertTrue(f.message().contains("left mail.smtp.connectiontimeout, mail.smtp.timeout and"
            + " mail.smtp.writetimeout unset or 0"), f.message());
    }

    @Test
    void onlyTheMissingOneIsNamedWithTheProtocolInUseAndSpringSpelling() {
        Finding f = assertOnly(rule.judge(Sessions.implicitTlsSession(Sessions.implicitTlsConfig(465)
            .protocol("smtps").entry("spring.JavaMailSender.send").timeouts(5000, 5000, 0))),
            "timeouts-unset", Severity.MEDIUM, "smtp.example.com:465", "set mail.smtps.writetimeout=30000");
        assertEquals("set mail.smtps.writetimeout=30000 (Spring Boot:"
            + " spring.mail.properties.mail.smtps.writetimeout=30000)", f.fix());
    }

    @Test
    void allThreeSetIsNoFinding() {
        assertNone(rule.judge(Sessions.startTlsSession(Sessions.startTlsConfig(587).timeouts(1, 1, 1))));
    }
}
