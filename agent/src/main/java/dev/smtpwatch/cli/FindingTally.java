package dev.smtpwatch.cli;

import dev.smtpwatch.rules.Finding;
import dev.smtpwatch.rules.Severity;
import java.util.Comparator;
import java.util.EnumMap;
import java.util.Map;

/**
 * One finding id across all reports: how often at each severity, first and last time seen, where, how often the
 * agent blocked it, and the latest message and fix (messages name the endpoint, so the latest one is an example).
 */
final class FindingTally {
    /** Most severe first, then the most frequent, then by id for a stable order. */
    static final Comparator<FindingTally> ORDER = Comparator.<FindingTally, Severity>comparing(t -> t.highest())
        .reversed().thenComparing(Comparator.<FindingTally>comparingLong(t -> t.count).reversed())
        .thenComparing(t -> t.id);

    final String id;
    final Map<Severity, Long> bySeverity = new EnumMap<Severity, Long>(Severity.class);
    final Distinct endpoints = new Distinct(5);
    long count;
    long enforced;
    final TimeRange times = new TimeRange();
    String message;
    String fix;

    FindingTally(String id) {
        this.id = id;
    }

    void add(ReportSession session, Finding finding, boolean wasEnforced) {
        long n = session.repeats();
        count += n;
        Long atSeverity = bySeverity.get(finding.severity());
        bySeverity.put(finding.severity(), (atSeverity == null ? 0 : atSeverity) + n);
        enforced += wasEnforced ? n : 0;
        endpoints.add(session.server(), n);
        times.add(session.time());
        if (session.time() == null || session.time().equals(times.last())) {
            message = AddressText.mask(finding.message());
            fix = AddressText.mask(finding.fix());
        }
    }

    Severity highest() {
        Severity highest = Severity.INFO;
        for (Severity severity : bySeverity.keySet()) {
            highest = severity.compareTo(highest) > 0 ? severity : highest;
        }
        return highest;
    }

    /** {@code high} or, when the id came at several, {@code medium 3, info 1}, most severe first. */
    String severities() {
        if (bySeverity.size() == 1) {
            return highest().id();
        }
        StringBuilder text = new StringBuilder();
        Severity[] all = Severity.values();
        for (int i = all.length - 1; i >= 0; i--) {
            Long n = bySeverity.get(all[i]);
            if (n != null) {
                text.append(text.length() == 0 ? "" : ", ").append(all[i].id()).append(' ').append(n);
            }
        }
        return text.toString();
    }
}
