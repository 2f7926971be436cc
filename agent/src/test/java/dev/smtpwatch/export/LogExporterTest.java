package dev.smtpwatch.export;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.smtpwatch.rules.Finding;
import dev.smtpwatch.rules.Severity;
import dev.smtpwatch.session.SessionFixture;
import dev.smtpwatch.session.SmtpSession;
import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.util.Arrays;
import java.util.Collections;
import java.util.List;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;

class LogExporterTest {
    private final ByteArrayOutputStream out = new ByteArrayOutputStream();
    private final Finding leak = new Finding("cleartext-auth", Severity.CRITICAL,
        "credentials (AUTH LOGIN) were sent to relay.example.com:25 without TLS",
        "set mail.smtp.starttls.enable=true and mail.smtp.starttls.required=true");

    private String[] lines() {
        String text = new String(out.toByteArray(), StandardCharsets.UTF_8);
        return text.isEmpty() ? new String[0] : text.split("\n");
    }

    private LogLines stderrLines() throws Exception {
        return new StderrLogLines(TestLogs.to(new PrintStream(out, true, "UTF-8")));
    }

    private static SmtpSession session() {
        return SessionFixture.at("relay.example.com", 25).greeting(220).command("EHLO x", 250).end();
    }

    @Test
    void oneWarnLinePerFindingInTheSpecFormat() throws Exception {
        LogExporter exporter = new LogExporter(stderrLines(), false,
            new RepeatLimiter(1, TimeUnit.MINUTES));
        exporter.export(session(), Collections.singletonList(leak));

        assertEquals(1, lines().length);
        assertEquals("WARN smtpwatch [cleartext-auth] credentials (AUTH LOGIN) were sent to relay.example.com:25 "
            + "without TLS — fix: set mail.smtp.starttls.enable=true and mail.smtp.starttls.required=true", lines()[0]);
    }

    @Test
    void aStuckSessionWasLoggedWhileItHungAndIsNotLoggedAgainAtItsEnd() throws Exception {
        LogExporter exporter = new LogExporter(stderrLines(), false,
            new RepeatLimiter(1, TimeUnit.MINUTES));
        exporter.export(session(), Arrays.asList(new Finding("session-stuck", Severity.HIGH, "waited", "fix"), leak));
        assertEquals(1, lines().length);
        assertTrue(lines()[0].startsWith("WARN smtpwatch [cleartext-auth] "), lines()[0]);
    }

    @Test
    void repeatsWithinAMinuteAreHeldBackAndCountedOnTheNextLine() {
        RepeatLimiter limiter = new RepeatLimiter(1, TimeUnit.MINUTES);
        long t0 = 0;
        assertEquals(0, limiter.admit("k", t0));
        assertEquals(-1, limiter.admit("k", t0 + TimeUnit.SECONDS.toNanos(10)));
        assertEquals(-1, limiter.admit("k", t0 + TimeUnit.SECONDS.toNanos(50)));
        assertEquals(0, limiter.admit("other", t0 + TimeUnit.SECONDS.toNanos(50)));
        assertEquals(2, limiter.admit("k", t0 + TimeUnit.SECONDS.toNanos(61)));
    }

    @Test
    void infoAddsOneLinePerSessionAndTheSameFindingTwiceIsLoggedOnce() throws Exception {
        LogExporter exporter = new LogExporter(stderrLines(), true,
            new RepeatLimiter(1, TimeUnit.MINUTES));
        List<Finding> findings = Collections.singletonList(leak);
        exporter.export(session(), findings);
        exporter.export(session(), findings);

        String[] lines = lines();
        assertEquals(3, lines.length, String.join("\n", lines));
        assertEquals("INFO smtpwatch session relay.example.com:25 library=javax.mail tls=none commands=1 "
            + "outcome=no-mail messages=0 findings=1", lines[0]);
    }

    @Test
    void findingsOfOneIdWithDifferentCausesAreEachLogged() throws Exception {
        LogExporter exporter = new LogExporter(stderrLines(), false,
            new RepeatLimiter(1, TimeUnit.MINUTES));
        List<Finding> typos = Arrays.asList(
            new Finding("property-typo", Severity.MEDIUM, "the property mail.smpt.auth of the session with "
                + "relay.example.com:25 is no key the mail library reads", "rename mail.smpt.auth to mail.smtp.auth"),
            new Finding("property-typo", Severity.MEDIUM, "the property mail.smtp.starttls.enabled of the session"
                + " with relay.example.com:25 is no key the mail library reads",
                "rename mail.smtp.starttls.enabled to mail.smtp.starttls.enable"));
        exporter.export(session(), typos);
        exporter.export(session(), typos);

        String[] lines = lines();
        assertEquals(2, lines.length, String.join("\n", lines));
        assertTrue(lines[1].contains("mail.smtp.starttls.enabled"), lines[1]);
    }
}
