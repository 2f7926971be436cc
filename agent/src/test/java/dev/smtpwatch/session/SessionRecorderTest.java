package dev.smtpwatch.session;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.charset.StandardCharsets;
import java.util.Collections;
import java.util.List;
import java.util.stream.Collectors;
import org.junit.jupiter.api.Test;

/** The recorder driven the way the advice drives it: connect, command bytes, replies, close. */
class SessionRecorderTest {
    private final CollectingSink sink = new CollectingSink();
    private final List<SmtpSession> ended = sink.ended;
    private final List<EntryCall> entries = sink.entries;
    private final List<SmtpSession> abandoned = sink.abandoned;
    private final SessionRecorder recorder = new SessionRecorder(sink, true, 200);
    private final Object transport = new Object();

    private void connect() {
        connect(true, false);
    }

    private void connect(boolean credentials, boolean authenticator) {
        SmtpConfig config = new SmtpConfig("smtp", false, false, false, true, credentials, authenticator, null, false,
            null, Collections.<String>emptySet(), 0, 0, 0);
        recorder.connectStarted(transport, new MailLibrary(MailLibrary.JAVAX, Object.class), "mail.example.com", 25,
            config);
    }

    private void exchange(String line, int code, String reply) {
        recorder.commandSent(transport, line.getBytes(StandardCharsets.UTF_8), null);
        recorder.replyRead(transport, code, reply, null);
    }

    private void greetAndLogin() {
        connect();
        recorder.replyRead(transport, 220, "220 mail.example.com ESMTP\n", null);
        exchange("EHLO client", 250, "250-mail.example.com\n250-STARTTLS\n250 AUTH LOGIN\n");
        exchange("AUTH LOGIN", 334, "334 VXNlcm5hbWU6\n");
        exchange("dXNlcg==", 334, "334 UGFzc3dvcmQ6\n");
        exchange("Q2FuYXJ5LXNlY3JldA==", 235, "235 2.7.0 Authentication successful\n");
        recorder.connectEnded(transport, null, null);
    }

    private void sendOne(String queueId) {
        recorder.sendStarted(transport);
        exchange("MAIL FROM:<alice@example.com> SIZE=1234", 250, "250 2.1.0 Ok\n");
        exchange("RCPT TO:<bob@example.org>", 250, "250 2.1.5 Ok\n");
        exchange("DATA", 354, "354 End data with <CR><LF>.<CR><LF>\n");
        exchange(".", 250, "250 2.0.0 Ok: queued as " + queueId + "\n");
        recorder.sendEnded(transport, null);
    }

    private void quit() {
        exchange("QUIT", 221, "221 2.0.0 Bye\n");
        recorder.connectionClosed(transport);
    }

    private static String verbs(SmtpSession session) {
        return session.commands().stream().map(c -> c.verb() + (c.arg() == null ? "" : " " + c.arg()) + "=" + c.reply())
            .collect(Collectors.joining(", "));
    }

    @Test
    void startTlsIsOfferedOnlyWhenALineOfTheEhloReplyIsThatKeyword() {
        assertTrue(SessionRecorder.advertisesStartTls("250-mail.example.com\n250-STARTTLS\n250 AUTH LOGIN\n"));
        assertTrue(SessionRecorder.advertisesStartTls("250-mail.example.com\r\n250 starttls\r\n"));
        assertTrue(SessionRecorder.advertisesStartTls("  250-PIPELINING\n 250 STARTTLS  "));
        assertFalse(SessionRecorder.advertisesStartTls("250-mail.example.com\n250-XSTARTTLS\n250 AUTH LOGIN\n"));
        assertFalse(SessionRecorder.advertisesStartTls("250-STARTTLSX\n250 8BITMIME\n"));
        assertFalse(SessionRecorder.advertisesStartTls("250 mail.example.com STARTTLS\n"));
        assertFalse(SessionRecorder.advertisesStartTls("250\n25\n\n"));
        assertFalse(SessionRecorder.advertisesStartTls(null));
    }

    @Test
    void oneAuthEntryHidesTheContinuationLinesAndEndOfDataAddsNoEntry() {
        greetAndLogin();
        sendOne("4Xb2Qk0Z3Tz9");
        quit();

        assertEquals(1, ended.size());
        SmtpSession s = ended.get(0);
        assertEquals("EHLO=250, AUTH LOGIN=235, MAIL FROM:<a***@example.com>=250, RCPT TO:<b***@example.org>=250,"
            + " DATA=354, QUIT=221", verbs(s));
        assertEquals(220, s.greeting());
        assertEquals("LOGIN", s.auth().arg());
        assertEquals(235, s.auth().reply());
        assertTrue(s.startTlsOffered());
        assertEquals(1, s.messages());
        assertEquals(Collections.singletonList("4Xb2Qk0Z3Tz9"), s.queueIds());
        assertEquals("sent", s.outcome());
        assertEquals(TlsMode.NONE, s.tlsMode());
    }

    /** Service.connect with an Authenticator: a first protocolConnect without password returns false at once. */
    @Test
    void aConnectThatOpenedNoSocketIsNoSession() {
        connect(false, true);
        recorder.connectEnded(transport, null, new SmtpError("javax.mail.AuthenticationFailedException",
            "failed to connect"));
        greetAndLogin();
        sendOne("AAAA1111");
        quit();

        assertEquals(1, ended.size(), "only the connection that went on the wire");
        assertEquals("sent", ended.get(0).outcome());
        assertEquals(220, ended.get(0).greeting());
        assertTrue(abandoned.isEmpty(), "the Authenticator supplies the password: nothing to warn about");
    }

    @Test
    void aConnectThatCanNeverGetAPasswordIsHandedOnForAWarningNotAsASession() {
        connect(false, false);
        recorder.connectEnded(transport, null, new SmtpError("javax.mail.AuthenticationFailedException",
            "failed to connect"));

        assertTrue(ended.isEmpty());
        assertEquals(1, abandoned.size());
        assertEquals("mail.example.com", abandoned.get(0).serverAddress());
    }

    @Test
    void aLoginTheServerRejectedIsASessionThatFailed() {
        connect();
        recorder.replyRead(transport, 220, "220 mail.example.com ESMTP\n", null);
        exchange("EHLO client", 250, "250 AUTH LOGIN\n");
        exchange("AUTH LOGIN", 334, "334 VXNlcm5hbWU6\n");
        exchange("dXNlcg==", 334, "334 UGFzc3dvcmQ6\n");
        exchange("d3Jvbmc=", 535, "535 5.7.8 Error: authentication failed\n");
        exchange("QUIT", 221, "221 2.0.0 Bye\n");
        recorder.connectionClosed(transport);
        recorder.connectEnded(transport, null, new SmtpError("javax.mail.AuthenticationFailedException",
            "535 5.7.8 Error: authentication failed"));

        assertEquals(1, ended.size());
        assertEquals("failed", ended.get(0).outcome());
        assertEquals(535, ended.get(0).auth().reply());
        assertTrue(abandoned.isEmpty());
    }

    @Test
    void twoMessagesOnOneConnectionAreOneSession() {
        greetAndLogin();
        sendOne("AAAA1111");
        sendOne("BBBB2222");
        assertTrue(ended.isEmpty(), "the session is open until the connection closes");
        quit();

        assertEquals(1, ended.size());
        assertEquals(2, ended.get(0).messages());
        assertEquals(java.util.Arrays.asList("AAAA1111", "BBBB2222"), ended.get(0).queueIds());
    }

    @Test
    void theFirstHundredQueueIdsAreKeptAndRepliesWithoutOneTakeNoPlace() {
        greetAndLogin();
        for (int i = 0; i < 30; i++) {
            recorder.sendStarted(transport);
            exchange("MAIL FROM:<alice@example.com>", 250, "250 2.1.0 Ok\n");
            exchange("RCPT TO:<bob@example.org>", 250, "250 2.1.5 Ok\n");
            exchange("DATA", 354, "354 End data with <CR><LF>.<CR><LF>\n");
            exchange(".", 250, "250 2.0.0 Ok\n");
            recorder.sendEnded(transport, null);
        }
        for (int i = 0; i < 150; i++) {
            sendOne(String.format("Q%07d", i));
        }
        quit();
        SmtpSession s = ended.get(0);
        assertEquals(100, s.queueIds().size());
        assertEquals("Q0000000", s.queueIds().get(0));
        assertEquals("Q0000099", s.queueIds().get(99));
        assertEquals(50, s.queueIdsNotRecorded());
        assertEquals("sent", s.outcome());
    }

    @Test
    void aFailedConnectEndsTheSessionWithTheErrorAfterTheLibraryClosedTheSocket() {
        connect();
        recorder.replyRead(transport, -1, "[EOF]", null);
        recorder.connectionClosed(transport);
        assertTrue(ended.isEmpty(), "the error only surfaces at the exit of connect");
        recorder.connectEnded(transport, new IllegalStateException("Could not connect to SMTP host: x, port: 465, response: -1",
            new java.net.SocketTimeoutException("Read timed out")), null);

        assertEquals(1, ended.size());
        SmtpSession s = ended.get(0);
        assertEquals(-1, s.greeting());
        assertEquals("failed", s.outcome());
        assertEquals("java.lang.IllegalStateException", s.error().type());
        assertEquals("java.net.SocketTimeoutException", s.error().causes().get(0).type());
        assertTrue(s.error().mentions("Read timed out"));
    }

    @Test
    void aRejectedRecipientIsKeptWithItsReplyText() {
        greetAndLogin();
        recorder.sendStarted(transport);
        exchange("MAIL FROM:<alice@example.com>", 250, "250 2.1.0 Ok\n");
        exchange("RCPT TO:<nobody@example.org>", 550, "550 5.1.1 <nobody@example.org>: Recipient address rejected\n");
        exchange("RSET", 250, "250 2.0.0 Ok\n");
        recorder.sendEnded(transport, new IllegalArgumentException("Invalid Addresses"));
        quit();

        SmtpSession s = ended.get(0);
        SmtpCommand rcpt = s.commands().get(3);
        assertEquals("RCPT", rcpt.verb());
        assertEquals(550, rcpt.reply());
        assertTrue(rcpt.replyText().contains("Recipient address rejected"));
        assertNull(s.commands().get(2).replyText(), "positive replies keep no text");
        assertEquals("failed", s.outcome());
        assertEquals(0, s.messages());
    }

    @Test
    void commandsBeyondTheCapAreCountedNotStored() {
        SessionRecorder capped = new SessionRecorder(sink, true, 3);
        SmtpConfig config = new SmtpConfig("smtp", false, false, false, false, false, false, null, false, null,
            Collections.<String>emptySet(), 0, 0, 0);
        capped.connectStarted(transport, new MailLibrary(MailLibrary.ANGUS, Object.class), "h", 25, config);
        for (int i = 0; i < 5; i++) {
            capped.commandSent(transport, "NOOP".getBytes(StandardCharsets.US_ASCII), null);
            capped.replyRead(transport, 250, "250 Ok\n", null);
        }
        capped.connectEnded(transport, null, null);
        capped.connectionClosed(transport);

        assertEquals(3, ended.get(0).commands().size());
        assertEquals(2, ended.get(0).commandsNotRecorded());
        assertEquals(3, ended.get(0).commandsToJudge().size(), "repeats past the cap add nothing to judge");
    }

    @Test
    void theCapNeverHidesWhatTheRulesNeed() {
        SessionRecorder capped = new SessionRecorder(sink, true, 2);
        SmtpConfig config = new SmtpConfig("smtp", false, false, false, false, false, false, null, false, null,
            Collections.<String>emptySet(), 0, 0, 0);
        capped.connectStarted(transport, new MailLibrary(MailLibrary.ANGUS, Object.class), "h", 25, config);
        for (String[] exchange : new String[][] {{"EHLO x", "250"}, {"MAIL FROM:<a@b>", "250"},
                                                 {"RCPT TO:<c@d>", "250"}, {"DATA", "354"},
                                                 {"MAIL FROM:<a@b>", "250"}, {"RCPT TO:<e@f>", "550"}}) {
            capped.commandSent(transport, exchange[0].getBytes(StandardCharsets.US_ASCII), null);
            capped.replyRead(transport, Integer.parseInt(exchange[1]), exchange[1] + " x\n", null);
        }
        capped.connectEnded(transport, null, null);
        capped.connectionClosed(transport);

        SmtpSession s = ended.get(0);
        assertEquals("EHLO=250, MAIL FROM:<a***@b>=250", verbs(s));
        assertEquals(4, s.commandsNotRecorded());
        assertEquals("[EHLO, MAIL, RCPT, DATA, RCPT]", s.commandsToJudge().stream().map(SmtpCommand::verb)
            .collect(Collectors.toList()).toString(), "the first RCPT, the DATA and the rejected RCPT");
    }

    @Test
    void maskOffRecordsAddressesAsSent() {
        SessionRecorder unmasked = new SessionRecorder(sink, false, 200);
        SmtpConfig config = new SmtpConfig("smtp", false, false, false, false, false, false, null, false, null,
            Collections.<String>emptySet(), 0, 0, 0);
        unmasked.connectStarted(transport, new MailLibrary(MailLibrary.ANGUS, Object.class), "h", 25, config);
        unmasked.commandSent(transport, "MAIL FROM:<alice@example.com> BODY=8BITMIME".getBytes(StandardCharsets.UTF_8), null);
        unmasked.replyRead(transport, 250, "250 Ok\n", null);
        unmasked.connectEnded(transport, null, null);
        unmasked.connectionClosed(transport);

        assertEquals("FROM:<alice@example.com>", ended.get(0).commands().get(0).arg());
    }

    @Test
    void sessionsStillOpenAtExitAreEndedAndMarked() {
        greetAndLogin();
        recorder.endAllOpen();

        assertEquals(1, ended.size());
        assertTrue(ended.get(0).openAtExit());
        assertEquals("no-mail", ended.get(0).outcome());
        recorder.connectionClosed(transport);
        assertEquals(1, ended.size(), "a session is ended once");
    }

    @Test
    void sessionsOpenedInsideAnEntryCallNameItAndTheOutermostCallEndsLast() {
        recorder.callerContext(loader -> "app-trace-context");
        recorder.entryStarted("spring.JavaMailSender.send", "JavaMailSender.send", null);
        recorder.entryStarted("spring.JavaMailSender.send", "JavaMailSender.send", null);
        greetAndLogin();
        sendOne("CCCC3333");
        quit();
        recorder.entryEnded(null);
        assertTrue(entries.isEmpty(), "the nested call does not end the entry");
        recorder.entryEnded(new IllegalStateException("send failed"));

        assertEquals(1, entries.size());
        EntryCall entry = entries.get(0);
        assertEquals("spring.JavaMailSender.send", entry.id());
        assertEquals("app-trace-context", entry.callerContext());
        assertEquals("java.lang.IllegalStateException", entry.error().type());
        assertTrue(entry.durationNanos() >= 0);
        assertEquals(entry, ended.get(0).entry());
        assertNull(ended.get(0).callerContext(), "the session's parent is the entry call");

        greetAndLogin();
        quit();
        assertNull(ended.get(1).entry(), "after the call returned, sessions have no entry");
        assertEquals("app-trace-context", ended.get(1).callerContext());
    }

    @Test
    void callsForAnUnknownConnectionAreIgnored() {
        recorder.commandSent(new Object(), "EHLO x".getBytes(StandardCharsets.US_ASCII), null);
        recorder.replyRead(new Object(), 250, "250 ok", null);
        recorder.connectionClosed(new Object());
        assertTrue(ended.isEmpty());
    }
}
