package dev.smtpwatch.rules;

import static dev.smtpwatch.rules.Sessions.assertNone;
import static dev.smtpwatch.rules.Sessions.assertOnly;
import static org.junit.jupiter.api.Assertions.assertEquals;

import dev.smtpwatch.session.SessionFixture;
import dev.smtpwatch.session.SmtpSession;
import dev.smtpwatch.session.StuckWait;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;

class SessionStuckRuleTest {
    private static final long T0 = 1_000_000_000L;
    private final SessionStuckRule rule = new SessionStuckRule();

    private static long seconds(long s) {
        return T0 + TimeUnit.SECONDS.toNanos(s);
    }

    @Test
    void aHungGreetingWithoutTimeoutsNamesStepThreadAndTheMissingTimeouts() {
        SmtpSession s = SessionFixture.at("smtp.example.com", 587).timeouts(0, 0, 0)
            .stuck("the server greeting", "mail-sender-1", T0, seconds(75)).end();
        Finding f = assertOnly(rule.judge(s), "session-stuck", Severity.HIGH, "smtp.example.com:587",
            "set mail.smtp.connectiontimeout=10000 and mail.smtp.timeout=30000");
        assertEquals("the session with smtp.example.com:587 waited 75 s for the server greeting on the app thread"
            + " 'mail-sender-1' with mail.smtp.connectiontimeout and mail.smtp.timeout unset, so only the server can"
            + " end the wait", f.message());
    }

    @Test
    void whileItHangsTheMessageSaysSoAndATimeoutThatIsSetIsNamed() {
        SmtpSession s = Sessions.startTlsConfig(587).timeouts(10000, 120000, 30000).greeting(220).ehlo(true)
            .upgradeToTls(Sessions.TLS13, Sessions.AES).authenticate(235).command("MAIL FROM:<a@example.com>", 250)
            .command("RCPT TO:<b@example.org>", 250).command("DATA", 354).end();
        StuckWait wait = new StuckWait("the reply to the end of DATA", "main", T0);
        Finding f = rule.finding(s, wait, seconds(61));
        assertEquals("the session with smtp.example.com:587 has been waiting 61 s for the reply to the end of DATA on"
            + " the app thread 'main' although mail.smtp.timeout is 120000 ms", f.message());
        assertEquals("check why smtp.example.com:587 stops answering (an overloaded server, or a firewall that drops"
            + " idle connections) and lower mail.smtp.timeout if the app should give up sooner", f.fix());
    }

    @Test
    void theLongestOfSeveralStuckWaitsIsTheFinding() {
        SmtpSession s = SessionFixture.at("smtp.example.com", 587)
            .stuck("the TLS handshake after STARTTLS", "main", T0, seconds(62))
            .stuck("the reply to the end of DATA", "main", seconds(70), seconds(400)).end();
        Finding f = assertOnly(rule.judge(s), "session-stuck", Severity.HIGH, "smtp.example.com:587", "check why");
        assertEquals(true, f.message().contains("waited 330 s for the reply to the end of DATA"), f.message());
    }

    @Test
    void aThreadNameCannotBreakTheLogLine() {
        SmtpSession s = SessionFixture.at("smtp.example.com", 587)
            .stuck("the reply to EHLO", "evil\nWARN forged", T0, seconds(60)).end();
        assertEquals(false, rule.judge(s).get(0).message().contains("\n"));
    }

    @Test
    void noStuckWaitNoFinding() {
        assertNone(rule.judge(Sessions.startTlsSession(Sessions.startTlsConfig(587))));
    }
}
