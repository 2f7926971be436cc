package dev.smtpwatch.rules;

import dev.smtpwatch.session.SmtpSession;
import dev.smtpwatch.session.StuckWait;
import java.util.ArrayList;
import java.util.Collections;
import java.util.Iterator;
import java.util.List;

/**
 * {@code session-stuck}: a session waited {@code stuck.seconds} or longer for one reply. The watchdog logs the
 * finding while the session hangs ({@link #finding}); at the end of the session the finding for the longest such
 * wait, with its whole length, goes into the report line and the span.
 */
public final class SessionStuckRule implements Rule {
    public static final String ID = "session-stuck";

    /** One finding per session, for its longest stuck wait (a slow first TLS handshake is not the story then). */
    @Override
    public List<Finding> judge(SmtpSession session) {
        long now = System.nanoTime();
        StuckWait longest = null;
        for (StuckWait wait : session.stuckWaits()) {
            if (longest == null || wait.seconds(now) > longest.seconds(now)) {
                longest = wait;
            }
        }
        if (longest == null) {
            return Collections.emptyList();
        }
        return Collections.singletonList(finding(session, longest, now));
    }

    /** The finding for {@code wait}, worded for a wait that goes on at {@code nowNanos} or one that is over. */
    public Finding finding(SmtpSession session, StuckWait wait, long nowNanos) {
        String where = SessionFacts.where(session);
        List<String> unset = unsetTimeouts(session, wait);
        String message = "the session with " + where + (wait.ended() ? " waited " : " has been waiting ")
            + wait.seconds(nowNanos) + " s for " + wait.step() + " on the app thread '" + printable(wait.threadName())
            + "'" + (unset.isEmpty()
                ? " although " + Fixes.key(session, "timeout") + " is " + session.config().timeout() + " ms"
                : " with " + Fixes.list(unset.toArray(new String[0])) + " unset, so only the server can end the wait");
        String fix;
        if (unset.isEmpty()) {
            fix = "check why " + where + " stops answering (an overloaded server, or a firewall that drops idle"
                + " connections) and lower " + Fixes.key(session, "timeout") + " if the app should give up sooner";
        } else {
            List<String> settings = new ArrayList<String>();
            for (String key : unset) {
                settings.add(key + "=" + (key.endsWith(".connectiontimeout")
                    ? TimeoutsUnsetRule.SUGGESTED_CONNECTION_TIMEOUT : TimeoutsUnsetRule.SUGGESTED_TIMEOUT));
            }
            fix = Fixes.set(session, settings.toArray(new String[0])) + " so that a hung server fails the send"
                + " instead of holding the thread, and check why " + where + " stops answering";
        }
        return new Finding(ID, Severity.HIGH, message, fix);
    }

    /** The timeouts that would have ended this wait and are unset: the connect one only matters for the greeting. */
    private static List<String> unsetTimeouts(SmtpSession session, StuckWait wait) {
        List<String> unset = new ArrayList<String>(TimeoutsUnsetRule.unsetKeys(session));
        boolean connecting = wait.step().contains("greeting");
        for (Iterator<String> it = unset.iterator(); it.hasNext(); ) {
            String key = it.next();
            if (key.endsWith(".writetimeout") || key.endsWith(".connectiontimeout") && !connecting) {
                it.remove();
            }
        }
        return unset;
    }

    /** A thread name is the app's text: control characters would break the log line. */
    private static String printable(String name) {
        if (name == null) {
            return "?";
        }
        StringBuilder b = new StringBuilder(name.length());
        for (int i = 0; i < name.length(); i++) {
            char c = name.charAt(i);
            b.append(Character.isISOControl(c) ? '?' : c);
        }
        return b.toString();
    }
}
