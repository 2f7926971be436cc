package dev.smtpwatch.cli;

/**
 * What a review knows about one SMTP endpoint ({@code host:port}) from all the sessions to it: how it was spoken
 * to (TLS modes, protocols, ciphers, certificates), by which library lines, and how that went (sessions, messages,
 * failures, throttling, credentials in clear).
 */
final class EndpointInventory {
    /** Distinct values kept per column; more are counted, not listed. */
    private static final int VALUES_PER_COLUMN = 8;

    final String endpoint;
    final Distinct tlsModes = new Distinct(VALUES_PER_COLUMN);
    final Distinct protocols = new Distinct(VALUES_PER_COLUMN);
    final Distinct ciphers = new Distinct(VALUES_PER_COLUMN);
    /** {@code subject, expires <notAfter>}. */
    final Distinct certificates = new Distinct(VALUES_PER_COLUMN);
    final Distinct libraries = new Distinct(VALUES_PER_COLUMN);
    long sessions;
    long messages;
    long failed;
    /** Replies 421, 451 or 454 (greeting or command): the server asking the client to come back later. */
    long throttled;
    long logins;
    /** Sessions whose AUTH went over the connection without TLS. */
    long authInClear;
    long findings;

    EndpointInventory(String endpoint) {
        this.endpoint = endpoint;
    }

    void add(ReportSession session) {
        long n = session.repeats();
        sessions += n;
        messages += session.messages() * n;
        failed += "failed".equals(session.outcome()) ? n : 0;
        throttled += throttlingReplies(session) * n;
        logins += session.logins() * n;
        authInClear += session.authInClear() ? n : 0;
        findings += session.findings().size() * n;
        tlsModes.add(session.tlsMode(), n);
        protocols.add(session.tlsProtocol(), n);
        ciphers.add(session.tlsCipher(), n);
        if (session.certificateSubject() != null) {
            String notAfter = session.certificateNotAfter();
            certificates.add(session.certificateSubject()
                + (notAfter == null ? "" : ", expires " + notAfter), n);
        }
        libraries.add(session.library(), n);
    }

    /** Messages per connection, one decimal: how well the app reuses a connection. */
    String messagesPerConnection() {
        return sessions == 0 ? "-" : String.format(java.util.Locale.ROOT, "%.1f", (double) messages / sessions);
    }

    static boolean isThrottling(long reply) {
        return reply == 421 || reply == 451 || reply == 454;
    }

    private static long throttlingReplies(ReportSession session) {
        long replies = isThrottling(session.greeting()) ? 1 : 0;
        for (ReportSession.Command command : session.commands()) {
            replies += isThrottling(command.reply) ? 1 : 0;
        }
        return replies;
    }
}
