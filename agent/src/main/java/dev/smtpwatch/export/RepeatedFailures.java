package dev.smtpwatch.export;

import dev.smtpwatch.rules.Finding;
import dev.smtpwatch.session.SmtpError;
import dev.smtpwatch.session.SmtpSession;
import java.util.ArrayList;
import java.util.Iterator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * Folds identical failed connects (same endpoint, same error, no command exchanged) into one report line per
 * interval: the first of a run is written at once, the ones after it within the interval become one line with
 * {@code repeats}, written when the interval is over (at the next export or at exit). An app retrying a dead
 * host in a loop then writes two lines a minute, not thousands. Export thread only.
 */
final class RepeatedFailures {
    /** Distinct failures folded at once; beyond it a failure is written as it comes, never lost. */
    private static final int MAX_RUNS = 1000;

    private final long intervalNanos;
    private final Map<String, Run> runs = new LinkedHashMap<String, Run>();

    RepeatedFailures(long intervalNanos) {
        this.intervalNanos = intervalNanos;
    }

    /** @return true when the caller writes this session now; false when it was counted into a folded line */
    boolean admit(SmtpSession session, List<Finding> findings, long nowNanos) {
        String key = foldKey(session, findings);
        if (key == null) {
            return true;
        }
        Run run = runs.get(key);
        if (run == null) {
            if (runs.size() < MAX_RUNS) {
                runs.put(key, new Run(nowNanos));
            }
            return true;
        }
        run.add(session, findings);
        return false;
    }

    /** Folded lines whose interval is over, in the order their runs began; forgotten here once returned. */
    List<Folded> due(long nowNanos) {
        return take(nowNanos, false);
    }

    /** Every folded line still held, at exit. */
    List<Folded> all() {
        return take(0, true);
    }

    private List<Folded> take(long nowNanos, boolean all) {
        List<Folded> folded = new ArrayList<Folded>(0);
        for (Iterator<Run> it = runs.values().iterator(); it.hasNext(); ) {
            Run run = it.next();
            if (all || nowNanos - run.startNanos >= intervalNanos) {
                it.remove();
                if (run.first != null) {
                    folded.add(new Folded(run.first, run.findings, run.count, run.lastEpochMillis));
                }
            }
        }
        return folded;
    }

    /** Null when the session is not a bare failed connect: everything else is written line by line. */
    private static String foldKey(SmtpSession s, List<Finding> findings) {
        SmtpError error = s.error();
        if (error == null || !s.commands().isEmpty() || s.commandsNotRecorded() > 0 || s.messages() > 0) {
            return null;
        }
        StringBuilder key = new StringBuilder().append(s.library().name()).append('|').append(s.serverAddress())
            .append(':').append(s.serverPort()).append('|').append(s.config().protocol()).append('|')
            .append(s.greeting()).append('|').append(error.type()).append('|').append(error.message());
        for (Finding f : findings) {
            key.append('|').append(f.id()).append(f.detail() == null ? "" : "/" + f.detail());
        }
        return key.toString();
    }

    private static final class Run {
        final long startNanos;
        SmtpSession first;
        List<Finding> findings;
        int count;
        long lastEpochMillis;

        Run(long startNanos) {
            this.startNanos = startNanos;
        }

        void add(SmtpSession session, List<Finding> sessionFindings) {
            if (first == null) {
                first = session;
                findings = sessionFindings;
            }
            count++;
            lastEpochMillis = session.startEpochMillis();
        }
    }

    /** The line standing for {@code count} identical failures, the first of them {@code first}. */
    static final class Folded {
        final SmtpSession first;
        final List<Finding> findings;
        final int count;
        final long lastEpochMillis;

        Folded(SmtpSession first, List<Finding> findings, int count, long lastEpochMillis) {
            this.first = first;
            this.findings = findings;
            this.count = count;
            this.lastEpochMillis = lastEpochMillis;
        }
    }
}
