package dev.smtpwatch.rules;

import dev.smtpwatch.session.SmtpConfig;
import dev.smtpwatch.session.SmtpSession;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;

/**
 * {@code timeouts-unset}: {@code connectiontimeout}, {@code timeout} or {@code writetimeout} unset or 0 for the
 * protocol in use. javax.mail, Jakarta Mail and Angus all default them to infinite, so a server (or firewall) that
 * stops answering holds the sending thread forever.
 */
public final class TimeoutsUnsetRule implements Rule {
    /** What the fix proposes, in milliseconds: a connect is quick; a reply to the end of DATA may take a while. */
    static final int SUGGESTED_CONNECTION_TIMEOUT = 10000;
    static final int SUGGESTED_TIMEOUT = 30000;

    @Override
    public List<Finding> judge(SmtpSession session) {
        List<String> unset = unsetKeys(session);
        if (unset.isEmpty()) {
            return Collections.emptyList();
        }
        List<String> settings = new ArrayList<String>();
        for (String key : unset) {
            settings.add(key + "=" + (key.endsWith(".connectiontimeout") ? SUGGESTED_CONNECTION_TIMEOUT
                : SUGGESTED_TIMEOUT));
        }
        return Collections.singletonList(new Finding("timeouts-unset", Severity.MEDIUM,
            "the session with " + SessionFacts.where(session) + " left " + Fixes.list(unset.toArray(new String[0]))
                + " unset or 0, the library's default of waiting forever, so a server or firewall that stops"
                + " answering blocks the sending thread for good",
            Fixes.set(session, settings.toArray(new String[0]))));
    }

    /** The timeout keys of the protocol in use that are unset or 0, in the order the library applies them. */
    static List<String> unsetKeys(SmtpSession session) {
        SmtpConfig c = session.config();
        List<String> unset = new ArrayList<String>(3);
        if (c.connectionTimeout() == 0) {
            unset.add(Fixes.key(session, "connectiontimeout"));
        }
        if (c.timeout() == 0) {
            unset.add(Fixes.key(session, "timeout"));
        }
        if (c.writeTimeout() == 0) {
            unset.add(Fixes.key(session, "writetimeout"));
        }
        return unset;
    }
}
