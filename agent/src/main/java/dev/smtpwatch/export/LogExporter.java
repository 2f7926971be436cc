package dev.smtpwatch.export;

import dev.smtpwatch.rules.Finding;
import dev.smtpwatch.rules.MissingCredentials;
import dev.smtpwatch.rules.SessionStuckRule;
import dev.smtpwatch.session.SmtpSession;
import java.util.List;
import java.util.Objects;

/**
 * One WARN line per finding, in the words an operator acts on; with {@code log=info} also one INFO line per
 * session. Repeats of the same finding for the same server and cause are logged at most once a minute and
 * counted, so a batch job hitting one misconfigured relay does not flood the log.
 */
public final class LogExporter implements SessionExporter {
    private final LogLines log;
    private final boolean perSession;
    private final RepeatLimiter limiter;

    public LogExporter(LogLines log, boolean perSession, RepeatLimiter limiter) {
        this.log = log;
        this.perSession = perSession;
        this.limiter = limiter;
    }

    @Override
    public void export(SmtpSession session, List<Finding> findings) {
        if (perSession) {
            log.info(session, "session " + session.serverAddress() + ':' + session.serverPort() + " library="
                + session.library().name() + " tls=" + session.tlsMode().id() + " commands=" + session.commands().size()
                + " outcome=" + session.outcome() + " messages=" + session.messages() + " findings=" + findings.size());
        }
        for (Finding f : findings) {
            if (SessionStuckRule.ID.equals(f.id())) {
                continue; // logged by StuckSessionWarnings while the session hung
            }
            // the message names the cause (which key is misspelt, which protocol was negotiated, ...): two findings
            // of one id with different causes are two lines, repeats of the same one are held back
            RepeatKey key = new RepeatKey(f, session.serverAddress(), session.serverPort());
            int suppressed = limiter.admit(key, System.nanoTime());
            if (suppressed < 0) {
                continue;
            }
            String repeats = suppressed > 0 ? " (" + suppressed + " more in the last minute)" : "";
            log.warn(session, warning(f) + repeats);
        }
    }

    /** Once per server and protocol: the app gets the library's own exception on every try anyway. */
    @Override
    public void connectAbandoned(SmtpSession attempt) {
        String key = "connect-abandoned|" + attempt.serverAddress() + ':' + attempt.serverPort() + '|'
            + attempt.config().protocol();
        if (limiter.admitOnce(key)) {
            log.warn(attempt, MissingCredentials.warning(attempt));
        }
    }

    /** A finding as one line, the same on stderr and in the app's log. */
    static String warning(Finding f) {
        return "[" + f.id() + "] " + f.message() + " — fix: " + f.fix();
    }

    @Override
    public void close() {
    }

    /**
     * A finding's id, server and cause. Its hash leaves out the message, a sentence made anew for each session:
     * a key the limiter has seen is then found by one comparison of the message, not a hash of it and of a key
     * joined from it.
     */
    private static final class RepeatKey {
        private final String id;
        private final String address;
        private final int port;
        private final String detail;
        private final String message;

        RepeatKey(Finding f, String address, int port) {
            this.id = f.id();
            this.address = address;
            this.port = port;
            this.detail = f.detail();
            this.message = f.message();
        }

        @Override
        public int hashCode() {
            return ((id.hashCode() * 31 + Objects.hashCode(address)) * 31 + port) * 31
                + Objects.hashCode(detail);
        }

        @Override
        public boolean equals(Object other) {
            if (!(other instanceof RepeatKey)) {
                return false;
            }
            RepeatKey k = (RepeatKey) other;
            return port == k.port && id.equals(k.id) && Objects.equals(address, k.address)
                && Objects.equals(detail, k.detail) && Objects.equals(message, k.message);
        }
    }
}
