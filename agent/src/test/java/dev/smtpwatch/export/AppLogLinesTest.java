package dev.smtpwatch.export;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import ch.qos.logback.classic.Level;
import ch.qos.logback.classic.Logger;
import ch.qos.logback.classic.spi.ILoggingEvent;
import ch.qos.logback.core.AppenderBase;
import dev.smtpwatch.session.SessionFixture;
import dev.smtpwatch.session.SmtpSession;
import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.net.URL;
import java.net.URLClassLoader;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.slf4j.LoggerFactory;

/** log=app in-process: this test's class path is the "app", with SLF4J 2 and logback. */
class AppLogLinesTest {
    private final ByteArrayOutputStream stderr = new ByteArrayOutputStream();
    private final Recording recording = new Recording();
    private final Logger smtpwatch = (Logger) LoggerFactory.getLogger("smtpwatch");
    private AppLogLines lines;

    /** Keeps each event with the MDC it saw, and whether the agent's loop guard was on while it was appended. */
    static final class Recording extends AppenderBase<ILoggingEvent> {
        final List<ILoggingEvent> events = new ArrayList<>();
        final List<Boolean> guarded = new ArrayList<>();

        @Override
        protected void append(ILoggingEvent event) {
            event.prepareForDeferredProcessing();
            events.add(event);
            guarded.add(AppLogLines.callingAppLogging());
        }
    }

    @BeforeEach
    void attach() throws Exception {
        recording.start();
        smtpwatch.addAppender(recording);
        lines = new AppLogLines(TestLogs.to(new PrintStream(stderr, true, "UTF-8")));
    }

    @AfterEach
    void detach() {
        smtpwatch.detachAppender(recording);
        AppLogLines.spanOfSession(null, null);
    }

    private static SmtpSession session() {
        return SessionFixture.at("relay.example.com", 25).greeting(220).command("EHLO x", 250).end();
    }

    private String stderr() {
        return new String(stderr.toByteArray(), StandardCharsets.UTF_8);
    }

    @Test
    void warnAndInfoLinesGoToTheAppsLoggerNamedSmtpwatch() {
        lines.warn(session(), "[cleartext-auth] credentials were sent without TLS — fix: starttls");
        lines.info(session(), "session relay.example.com:25");

        assertEquals(2, recording.events.size());
        assertEquals("smtpwatch", recording.events.get(0).getLoggerName());
        assertEquals(Level.WARN, recording.events.get(0).getLevel());
        assertEquals("[cleartext-auth] credentials were sent without TLS — fix: starttls",
            recording.events.get(0).getFormattedMessage());
        assertEquals(Level.INFO, recording.events.get(1).getLevel());
        assertEquals("", stderr(), "nothing on stderr when the app's logging takes the line");
    }

    @Test
    void theSpanOfTheSessionIsInTheMdcForThatLineOnly() {
        AppLogLines.spanOfSession("4bf92f3577b34da6a3ce929d0e0e4736", "00f067aa0ba902b7");
        lines.warn(session(), "[cleartext-auth] x");
        AppLogLines.spanOfSession(null, null);
        lines.warn(session(), "[cleartext-auth] y");

        assertEquals("4bf92f3577b34da6a3ce929d0e0e4736", recording.events.get(0).getMDCPropertyMap().get("trace_id"));
        assertEquals("00f067aa0ba902b7", recording.events.get(0).getMDCPropertyMap().get("span_id"));
        assertNull(recording.events.get(1).getMDCPropertyMap().get("trace_id"));
        assertNull(org.slf4j.MDC.get("trace_id"), "the export thread's MDC is left as it was");
    }

    @Test
    void aMailSentByTheAppsLoggingIsMarkedAndItsLinesGoToStderr() {
        lines.warn(session(), "[cleartext-auth] first");
        assertEquals(List.of(true), recording.guarded, "inside the app's appender the guard is on");
        assertTrue(!AppLogLines.callingAppLogging(), "and off again after it");

        AppLogLines.divertedToStderr(() -> lines.warn(session(), "[cleartext-auth] of the mail of the first"));
        assertEquals(1, recording.events.size(), "not logged through the app again");
        assertTrue(stderr().startsWith("WARN smtpwatch [cleartext-auth] of the mail of the first (sent by the app's"),
            stderr());
    }

    @Test
    void withoutSlf4jOrLog4jJavaUtilLoggingIsUsed() throws Exception {
        try (URLClassLoader bare = new URLClassLoader(new URL[0], ClassLoader.getPlatformClassLoader())) {
            AppLogLines.AppLogger found = AppLogLines.AppLogger.find(bare, TestLogs.to(System.err));
            assertEquals("java.util.logging", String.valueOf(found));
        }
    }
}
