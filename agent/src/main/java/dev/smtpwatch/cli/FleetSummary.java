package dev.smtpwatch.cli;

import dev.smtpwatch.rules.Finding;
import dev.smtpwatch.rules.Severity;
import java.util.ArrayList;
import java.util.Collections;
import java.util.Comparator;
import java.util.EnumMap;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * Many reports folded into totals as they stream by: per endpoint an {@link EndpointInventory}, per finding id a
 * {@link FindingTally}, totals per severity. Memory grows with the number of endpoints and finding ids, never
 * with the number of sessions; both are capped too (a report naming a million hosts gets one "other" row).
 */
final class FleetSummary implements ReportFile.SessionHandler {
    static final int MAX_ENDPOINTS = 1000;
    static final String OTHER_ENDPOINTS = "(other endpoints)";
    private static final int MAX_FINDING_IDS = 200;
    private static final String OTHER_FINDINGS = "(other finding ids)";

    private final Map<String, EndpointInventory> endpoints = new HashMap<String, EndpointInventory>();
    private final Map<String, FindingTally> findings = new HashMap<String, FindingTally>();
    private final Map<Severity, Long> bySeverity = new EnumMap<Severity, Long>(Severity.class);
    final MalformedLines malformed = new MalformedLines();
    private final TimeRange times = new TimeRange();
    private long sessions;

    @Override
    public void session(ReportSession session) {
        long n = session.repeats();
        sessions += n;
        times.add(session.time());
        String endpoint = endpoints.containsKey(session.server()) || endpoints.size() < MAX_ENDPOINTS
            ? session.server() : OTHER_ENDPOINTS;
        endpoints.computeIfAbsent(endpoint, EndpointInventory::new).add(session);
        Set<String> enforced = session.enforcedFindings();
        for (Finding finding : session.findings()) {
            String id = findings.containsKey(finding.id()) || findings.size() < MAX_FINDING_IDS ? finding.id()
                : OTHER_FINDINGS;
            findings.computeIfAbsent(id, FindingTally::new).add(session, finding, enforced.contains(finding.id()));
            Long atSeverity = bySeverity.get(finding.severity());
            bySeverity.put(finding.severity(), (atSeverity == null ? 0 : atSeverity) + n);
        }
    }

    long sessions() {
        return sessions;
    }

    /** Start times of the earliest and the latest session. */
    TimeRange times() {
        return times;
    }

    long findings(Severity severity) {
        Long count = bySeverity.get(severity);
        return count == null ? 0 : count;
    }

    /** By host, then port (numerically), the "other" row last. */
    List<EndpointInventory> endpoints() {
        List<EndpointInventory> rows = new ArrayList<EndpointInventory>(endpoints.values());
        Collections.sort(rows, Comparator.<EndpointInventory, Boolean>comparing(row -> OTHER_ENDPOINTS
            .equals(row.endpoint)).thenComparing(row -> host(row.endpoint))
            .thenComparingLong(row -> port(row.endpoint)));
        return rows;
    }

    /** Most severe first, then the most frequent. */
    List<FindingTally> findings() {
        List<FindingTally> rows = new ArrayList<FindingTally>(findings.values());
        Collections.sort(rows, FindingTally.ORDER);
        return rows;
    }

    private static String host(String endpoint) {
        int colon = endpoint.lastIndexOf(':');
        return colon < 0 ? endpoint : endpoint.substring(0, colon);
    }

    private static long port(String endpoint) {
        try {
            return Long.parseLong(endpoint.substring(endpoint.lastIndexOf(':') + 1));
        } catch (NumberFormatException notAPort) {
            return -1;
        }
    }
}
