package dev.smtpwatch.rules;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.smtpwatch.session.BlockedCommand;
import dev.smtpwatch.session.MailLibrary;
import dev.smtpwatch.session.SessionRecorder;
import dev.smtpwatch.session.CollectingSink;
import dev.smtpwatch.session.SmtpCommand;
import dev.smtpwatch.session.SmtpConfig;
import dev.smtpwatch.session.SmtpSession;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Collections;
import java.util.List;
import org.junit.jupiter.api.Test;

/** The decision, driven through the recorder the way the command advice asks it: before each line leaves. */
class EnforcementPolicyTest {
    private static final String CANARY = "Q2FuYXJ5LXNlY3JldA==";
    private static final List<String> ON = EnforcementPolicy.ENFORCEABLE;
    private static final List<String> NONE = Collections.singletonList("none");

    private final CollectingSink sink = new CollectingSink();
    private final List<SmtpSession> ended = sink.ended;
    private final Object transport = new Object();
    private final SessionRecorder recorder = new SessionRecorder(sink, true, 200);

    private void connect(String host, boolean startTlsEnable, boolean startTlsRequired) {
        recorder.connectStarted(transport, new MailLibrary(MailLibrary.JAKARTA, Object.class), host, 587,
            new SmtpConfig("smtp", startTlsEnable, startTlsRequired, false, true, true, false, null, true, null,
                Collections.<String>emptySet(), 0, 0, 0));
        recorder.replyRead(transport, 220, "220 mail ESMTP\n", null);
    }

    private BlockedCommand send(String line) {
        return recorder.commandSent(transport, line.getBytes(StandardCharsets.US_ASCII), null);
    }

    private BlockedCommand exchange(String line, int code, String reply) {
        BlockedCommand blocked = send(line);
        if (blocked == null) {
            recorder.replyRead(transport, code, reply, null);
        }
        return blocked;
    }

    private SmtpSession close() {
        recorder.connectionClosed(transport);
        recorder.connectEnded(transport, null, null);
        assertEquals(1, ended.size());
        return ended.get(0);
    }

    @Test
    void authInClearIsBlockedBeforeItLeavesAndReportedAsEnforced() {
        recorder.enforce(new EnforcementPolicy(ON, NONE));
        connect("smtp.example.com", false, false);
        assertNull(exchange("EHLO client", 250, "250-smtp.example.com\n250 AUTH PLAIN LOGIN\n"));

        BlockedCommand blocked = send("AUTH PLAIN " + CANARY);

        assertNotNull(blocked);
        assertTrue(blocked.credentials());
        assertEquals("smtpwatch blocked cleartext-auth: credentials (AUTH PLAIN) would have gone to"
            + " smtp.example.com:587 without TLS because mail.smtp.starttls.enable is not set to true"
            + " — fix: set mail.smtp.starttls.enable=true and mail.smtp.starttls.required=true", blocked.message());
        SmtpSession session = close();
        SmtpCommand auth = session.auth();
        assertTrue(auth.blocked());
        assertEquals(SmtpCommand.NO_REPLY, auth.reply());
        assertEquals(Collections.singleton("cleartext-auth"), session.enforcedFindings());
        assertFalse(RuleCatalog.standard().judge(session).stream().anyMatch(f -> f.id().equals("starttls-not-used")),
            "nothing left in plaintext, so nothing was 'not used'");
    }

    @Test
    void strippedStartTlsBlocksTheFirstAuthOrMailAndLetsQuitGo() {
        recorder.enforce(new EnforcementPolicy(Collections.singletonList("starttls-downgrade"), NONE));
        connect("smtp.example.com", true, false);
        assertNull(exchange("EHLO client", 250, "250-smtp.example.com\n250 SIZE 1000\n"));

        BlockedCommand blocked = send("MAIL FROM:<alice@example.com>");

        assertNotNull(blocked);
        assertFalse(blocked.credentials());
        assertTrue(blocked.message().startsWith("smtpwatch blocked starttls-downgrade: smtp.example.com:587 did not"
            + " offer STARTTLS and the client was about to send mail in plaintext"), blocked.message());
        assertFalse(blocked.message().contains("alice"), blocked.message());
        // the library's close(): QUIT causes nothing new and goes out
        assertNull(exchange("QUIT", 221, "221 Bye\n"));
        SmtpSession session = close();
        assertEquals(Collections.singleton("starttls-downgrade"), session.enforcedFindings());
        assertEquals(Arrays.asList("EHLO=250", "MAIL=-1 blocked", "QUIT=221"), steps(session));
    }

    @Test
    void everyAuthContinuationLineIsAskedAndAnAllowedExchangeGoesThrough() {
        recorder.enforce(new EnforcementPolicy(ON, Collections.singletonList("smtp.example.com")));
        connect("SMTP.example.com", false, false);
        assertNull(exchange("EHLO client", 250, "250 AUTH LOGIN\n"));
        assertNull(exchange("AUTH LOGIN", 334, "334 VXNlcm5hbWU6\n"));
        assertNull(exchange("dXNlcg==", 334, "334 UGFzc3dvcmQ6\n"));
        assertNull(exchange(CANARY, 235, "235 ok\n"));
        SmtpSession session = close();
        assertTrue(session.enforcedFindings().isEmpty());
        assertEquals(235, session.auth().reply());
    }

    @Test
    void loopbackIsExemptByNameOrAddressNeverResolved() {
        EnforcementPolicy policy = new EnforcementPolicy(ON, Collections.singletonList("loopback"));
        for (String host : Arrays.asList("localhost", "127.0.0.1", "127.9.8.7", "::1", "[::1]")) {
            assertTrue(policy.allowed(host), host);
        }
        for (String host : Arrays.asList("smtp.example.com", "10.0.0.1", "localhost.example.com")) {
            assertFalse(policy.allowed(host), host);
        }
        assertFalse(new EnforcementPolicy(ON, NONE).allowed("localhost"));
        EnforcementPolicy listed = new EnforcementPolicy(ON, Arrays.asList("loopback", "relay.internal", "[fd00::1]"));
        assertTrue(listed.allowed("Relay.Internal"));
        assertTrue(listed.allowed("fd00::1"));
        assertTrue(listed.allowed("127.0.0.1"));
    }

    @Test
    void tlsConnectionsAndUnenforcedFindingsAreNeverBlocked() {
        recorder.enforce(new EnforcementPolicy(Collections.singletonList("starttls-downgrade"), NONE));
        connect("smtp.example.com", false, false);
        assertNull(exchange("EHLO client", 250, "250-smtp.example.com\n250-STARTTLS\n250 AUTH PLAIN\n"));
        // cleartext-auth is not enforced here, and STARTTLS was offered: no downgrade
        assertNull(exchange("AUTH PLAIN " + CANARY, 235, "235 ok\n"));
        assertTrue(close().enforcedFindings().isEmpty());
    }

    @Test
    void requiredStartTlsIsNoDowngrade() {
        recorder.enforce(new EnforcementPolicy(ON, NONE));
        connect("smtp.example.com", true, true);
        assertNull(exchange("EHLO client", 250, "250 SIZE 1000\n"));
        assertNull(exchange("QUIT", 221, "221 Bye\n"));
        assertTrue(close().enforcedFindings().isEmpty());
    }

    private static List<String> steps(SmtpSession session) {
        List<String> steps = new ArrayList<>();
        for (SmtpCommand c : session.commands()) {
            steps.add(c.verb() + "=" + c.reply() + (c.blocked() ? " blocked" : ""));
        }
        return steps;
    }
}
