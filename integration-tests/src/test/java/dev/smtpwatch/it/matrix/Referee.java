package dev.smtpwatch.it.matrix;

import com.fasterxml.jackson.databind.JsonNode;
import dev.smtpwatch.it.postfix.PostfixServer.Connection;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.TreeMap;

/**
 * Postfix's own log as the referee of a report line: the command counts of the disconnect summary, the TLS protocol
 * and cipher of "TLS connection established", and the SASL method logged with the first mail transaction must match
 * what the agent recorded for the same connection.
 */
final class Referee {
    private Referee() {
    }

    /** Everything the report says that Postfix's log disagrees with; empty when they agree. */
    static List<String> disagreements(JsonNode line, Connection conn) {
        List<String> problems = new ArrayList<>();
        JsonNode commands = line.path("commands");

        // Command counts: the summary counts every command Postfix parsed ("unknown" for what was no command,
        // such as a TLS ClientHello sent to a plaintext port), as "ok" or "ok/total".
        Map<String, Integer> reported = new TreeMap<>();
        Map<String, Integer> reportedOk = new TreeMap<>();
        for (JsonNode c : commands) {
            String verb = c.path("verb").asText().toLowerCase(Locale.ROOT);
            reported.merge(verb, 1, Integer::sum);
            int reply = c.path("reply").asInt(-1);
            if (reply >= 200 && reply < 400) {
                reportedOk.merge(verb, 1, Integer::sum);
            }
        }
        Map<String, Integer> logged = new TreeMap<>();
        Map<String, Integer> loggedOk = new TreeMap<>();
        for (String name : conn.counts().keySet()) {
            if (!name.equals("commands") && !name.equals("unknown")) {
                logged.put(name, conn.total(name));
                loggedOk.put(name, conn.ok(name));
            }
        }
        if (!reported.equals(logged)) {
            problems.add("commands per verb: report " + reported + ", Postfix " + logged);
        }
        int loggedTotal = conn.total("commands") - conn.total("unknown");
        if (commands.size() != loggedTotal) {
            problems.add("command count: report " + commands.size() + ", Postfix " + loggedTotal
                    + " (commands minus unknown)");
        }
        boolean tlsFailedAfterStartTls = "starttls".equals(line.at("/tls/mode").asText())
                && conn.tlsProtocol() == null;
        Map<String, Integer> loggedOkComparable = new TreeMap<>(loggedOk);
        Map<String, Integer> reportedOkComparable = new TreeMap<>(reportedOk);
        if (tlsFailedAfterStartTls) {
            // STARTTLS answered 220 (the report's reply) but Postfix counts it as failed when the handshake fails
            loggedOkComparable.remove("starttls");
            reportedOkComparable.remove("starttls");
        }
        loggedOkComparable.values().removeIf(v -> v == 0);
        if (!reportedOkComparable.equals(loggedOkComparable)) {
            problems.add("accepted commands per verb: report " + reportedOk + ", Postfix " + loggedOk);
        }

        // TLS: protocol and cipher as Postfix negotiated them, and the per-command flags.
        boolean serverTls = conn.tlsProtocol() != null;
        boolean reportTls = line.at("/tls/established").asBoolean(false);
        if (reportTls && !serverTls) {
            problems.add("report says TLS was established, Postfix logged no TLS connection");
        }
        if (serverTls && !reportTls && !clientRejectedNameAfterHandshake(line, conn)) {
            problems.add("Postfix established " + conn.tlsProtocol() + " but the report says TLS was not established");
        }
        if (reportTls && serverTls) {
            if (!conn.tlsProtocol().equals(line.at("/tls/protocol").asText(null))) {
                problems.add("tls.protocol: report " + line.at("/tls/protocol") + ", Postfix " + conn.tlsProtocol());
            }
            if (!conn.tlsCipher().equals(line.at("/tls/cipher").asText(null))) {
                problems.add("tls.cipher: report " + line.at("/tls/cipher") + ", Postfix " + conn.tlsCipher());
            }
        }
        String mode = line.at("/tls/mode").asText();
        boolean afterStartTls = false;
        for (JsonNode c : commands) {
            boolean expected;
            if ("implicit".equals(mode)) {
                expected = serverTls;
            } else {
                expected = afterStartTls && serverTls;
            }
            if (c.path("tls").asBoolean() != expected) {
                problems.add("command " + c + ": tls should be " + expected + " (Postfix: "
                        + (serverTls ? conn.tlsProtocol() : "no TLS") + ")");
            }
            if ("STARTTLS".equals(c.path("verb").asText()) && c.path("reply").asInt() == 220) {
                afterStartTls = true;
            }
        }

        // AUTH: the mechanism Postfix logged with the mail transaction, and failures.
        JsonNode auth = line.path("auth");
        if (conn.saslMethod() != null) {
            if (!conn.saslMethod().equalsIgnoreCase(auth.path("mechanism").asText(""))) {
                problems.add("auth.mechanism: report " + auth.path("mechanism") + ", Postfix sasl_method="
                        + conn.saslMethod());
            }
            if (!"success".equals(auth.path("outcome").asText())) {
                problems.add("auth.outcome: report " + auth.path("outcome") + ", Postfix authenticated the client");
            }
            if (auth.path("tls").asBoolean() != serverTls) {
                problems.add("auth.tls: report " + auth.path("tls") + ", Postfix TLS " + serverTls);
            }
        } else if (conn.ok("auth") > 0 && !conn.queueIds().isEmpty()) {
            problems.add("Postfix logged a successful AUTH but no sasl_method");
        }
        if (!conn.saslFailures().isEmpty() && "success".equals(auth.path("outcome").asText())) {
            problems.add("auth.outcome success, but Postfix logged SASL failures " + conn.saslFailures());
        }
        // logins: every AUTH the client sent, accepted or not, as Postfix counts them at disconnect
        if (conn.total("auth") != line.path("logins").asInt(-1)) {
            problems.add("logins: report " + line.path("logins") + ", Postfix auth=" + conn.total("auth"));
        }

        // The mail transactions: the queue ids the server gave are the ones Postfix logged.
        List<String> queueIds = new ArrayList<>();
        for (JsonNode id : line.path("queueIds")) {
            queueIds.add(id.asText());
        }
        if (!queueIds.equals(conn.queueIds())) {
            problems.add("queueIds: report " + queueIds + ", Postfix " + conn.queueIds());
        }
        return problems;
    }

    /**
     * The one case where Postfix and the client legitimately disagree about TLS: com.sun.mail (javax.mail 1.x,
     * jakarta.mail 2.0, Angus 1) checks the server identity only after the handshake completed, so Postfix logs
     * "TLS connection established" and then loses the connection, while for the client no TLS session came of
     * it. The report must then say hostname-mismatch, and no command may have gone over that TLS session.
     */
    static boolean clientRejectedNameAfterHandshake(JsonNode line, Connection conn) {
        boolean hostnameMismatch = false;
        for (JsonNode f : line.path("findings")) {
            hostnameMismatch |= "tls-handshake-failed".equals(f.path("id").asText())
                    && "hostname-mismatch".equals(f.path("detail").asText());
        }
        int afterTls = conn.total("commands") - conn.total("ehlo") - conn.total("starttls");
        return hostnameMismatch && conn.ok("starttls") == 1 && conn.total("ehlo") == 1 && afterTls == 0;
    }
}
