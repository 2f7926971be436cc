package dev.smtpwatch.cli;

import dev.smtpwatch.rules.Finding;
import java.io.IOException;
import java.io.PrintStream;
import java.io.UncheckedIOException;
import java.security.cert.X509Certificate;
import java.text.SimpleDateFormat;
import java.util.ArrayList;
import java.util.Date;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.TimeZone;

/** {@code probe}'s two outputs: text for a terminal, and JSON ({@code --json}, documented in docs/probe.md). */
final class ProbeOutput {
    static final String SCHEMA = "smtpwatch.probe/1";
    private static final String LABEL = "  %-12s %s";

    private final ProbeResult r;
    private final List<Finding> findings;
    private final ProbeSettings settings;

    ProbeOutput(ProbeResult result, List<Finding> findings, ProbeSettings settings) {
        this.r = result;
        this.findings = findings;
        this.settings = settings;
    }

    /** Server text made safe for a terminal: control characters shown as {@code ?}. */
    static String printable(String text) {
        StringBuilder safe = new StringBuilder(text.length());
        for (int i = 0; i < text.length(); i++) {
            char c = text.charAt(i);
            safe.append(c < 0x20 || c == 0x7f ? '?' : c);
        }
        return safe.toString();
    }

    // ------------------------------------------------------------------------------------------------ JSON

    void printJson(PrintStream out) {
        try {
            JsonWriter.write(json(), out);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    Map<String, Object> json() {
        Map<String, Object> json = new LinkedHashMap<String, Object>();
        json.put("schema", SCHEMA);
        Map<String, Object> endpoint = new LinkedHashMap<String, Object>();
        endpoint.put("host", r.host);
        endpoint.put("port", r.port);
        endpoint.put("address", r.address);
        endpoint.put("tlsServerName", r.serverName);
        json.put("endpoint", endpoint);
        Map<String, Object> jvm = new LinkedHashMap<String, Object>();
        jvm.put("java", System.getProperty("java.version"));
        jvm.put("trustStore", trustStore());
        jvm.put("tlsProtocols", r.clientProtocols);
        json.put("jvm", jvm);
        json.put("mode", r.mode.id);
        json.put("greeting", greeting());
        Map<String, Object> ehlo = new LinkedHashMap<String, Object>();
        ehlo.put("beforeTls", r.ehloBeforeTls == null ? null : r.ehloBeforeTls.extensions());
        ehlo.put("afterTls", r.ehloAfterTls == null ? null : r.ehloAfterTls.extensions());
        json.put("ehlo", ehlo);
        Map<String, Object> startTls = new LinkedHashMap<String, Object>();
        startTls.put("offered", r.startTlsOffered());
        startTls.put("reply", r.startTlsReply);
        json.put("starttls", startTls);
        json.put("tls", tls());
        json.put("certificate", certificate());
        Map<String, Object> auth = new LinkedHashMap<String, Object>();
        auth.put("beforeTls", r.ehloBeforeTls == null ? null : r.authBeforeTls());
        auth.put("afterTls", r.ehloAfterTls == null ? null : r.authAfterTls());
        json.put("auth", auth);
        List<Object> findingList = new ArrayList<Object>();
        for (Finding finding : findings) {
            Map<String, Object> f = new LinkedHashMap<String, Object>();
            f.put("id", finding.id());
            f.put("severity", finding.severity().id());
            f.put("message", finding.message());
            f.put("fix", finding.fix());
            if (finding.detail() != null) {
                f.put("detail", finding.detail());
            }
            findingList.add(f);
        }
        json.put("findings", findingList);
        Map<String, Object> settingsJson = new LinkedHashMap<String, Object>();
        settingsJson.put("jakartaMail", new LinkedHashMap<String, Object>(settings.jakartaMail));
        settingsJson.put("springBoot", new LinkedHashMap<String, Object>(settings.springBoot));
        settingsJson.put("notes", new ArrayList<Object>(settings.notes));
        json.put("settings", settingsJson);
        return json;
    }

    private Map<String, Object> greeting() {
        if (r.greeting == null) {
            return null;
        }
        Map<String, Object> greeting = new LinkedHashMap<String, Object>();
        greeting.put("code", r.greeting.code());
        greeting.put("text", r.greeting.firstLine());
        greeting.put("tls", r.mode == ProbeResult.Mode.IMPLICIT);
        return greeting;
    }

    private Map<String, Object> tls() {
        Map<String, Object> tls = new LinkedHashMap<String, Object>();
        tls.put("attempted", r.tlsAttempted);
        tls.put("established", r.tlsEstablished);
        tls.put("protocol", r.tlsProtocol);
        tls.put("cipher", r.tlsCipher);
        String problem = r.tlsProblem();
        tls.put("trusted", r.tlsAttempted ? Boolean.valueOf(r.tlsEstablished && problem == null) : null);
        tls.put("problem", problem);
        tls.put("error", r.tlsFailure == null ? null : r.tlsFailure.toString());
        return tls;
    }

    private Map<String, Object> certificate() {
        if (r.chain == null) {
            return null;
        }
        Map<String, Object> certificate = new LinkedHashMap<String, Object>();
        ServerIdentity.Match identity = r.identity();
        certificate.put("serverName", r.serverName);
        certificate.put("hostnameMatch", identity != ServerIdentity.Match.NONE);
        certificate.put("matchedBy", identity == ServerIdentity.Match.NONE ? null : identity.id);
        certificate.put("chainTrusted", r.trustRefusal == null);
        certificate.put("trustError", r.trustRefusal == null ? null : r.trustRefusal.getMessage());
        List<Object> chain = new ArrayList<Object>();
        for (X509Certificate cert : r.chain) {
            Map<String, Object> c = new LinkedHashMap<String, Object>();
            c.put("subject", ProbeFindings.subject(cert));
            c.put("issuer", ProbeFindings.issuer(cert));
            c.put("notBefore", instant(cert.getNotBefore()));
            c.put("notAfter", instant(cert.getNotAfter()));
            c.put("daysLeft", r.daysLeft(cert));
            c.put("names", ServerIdentity.names(cert));
            chain.add(c);
        }
        certificate.put("chain", chain);
        return certificate;
    }

    // ------------------------------------------------------------------------------------------------ text

    void printText(PrintStream out) {
        out.println("smtpwatch probe " + r.where() + (r.host.equals(r.address) ? "" : " (" + r.address + ")")
            + ", as this JVM sees it");
        label(out, "JVM", "Java " + System.getProperty("java.version") + ", trust store " + trustStore()
            + ", TLS " + String.join(" ", r.clientProtocols));
        label(out, "greeting", r.greeting == null ? "none" : r.greeting.code() + " "
            + printable(r.greeting.firstLine()) + (r.mode == ProbeResult.Mode.IMPLICIT ? " (over TLS)" : ""));
        label(out, "mode", mode());
        if (r.ehloBeforeTls != null) {
            label(out, "before TLS", "EHLO " + extensions(r.ehloBeforeTls));
            label(out, "", "AUTH " + mechanisms(r.authBeforeTls()));
        }
        if (r.tlsAttempted) {
            label(out, "TLS", r.tlsEstablished ? r.tlsProtocol + ", " + r.tlsCipher
                : "handshake failed: " + printable(String.valueOf(r.tlsFailure)));
        }
        if (r.chain != null) {
            label(out, "certificate", trustVerdict());
            label(out, "host name", identityVerdict());
        }
        if (r.ehloAfterTls != null) {
            label(out, "after TLS", "EHLO " + extensions(r.ehloAfterTls));
            label(out, "", "AUTH " + mechanisms(r.authAfterTls()));
        }
        if (r.chain != null) {
            out.println();
            out.println("Certificate chain (leaf first)");
            TextTable table = new TextTable("SUBJECT", "ISSUER", "EXPIRES", "DAYS LEFT#", "NAMES");
            for (X509Certificate cert : r.chain) {
                table.row(ProbeFindings.subject(cert), ProbeFindings.issuer(cert),
                    ProbeFindings.day(cert.getNotAfter()), r.daysLeft(cert),
                    String.join(", ", ServerIdentity.names(cert)));
            }
            table.print(out);
        }
        out.println();
        printFindings(out);
        out.println();
        printSettings(out);
    }

    private String mode() {
        switch (r.mode) {
            case IMPLICIT:
                return "implicit TLS (TLS from the first byte)";
            case STARTTLS:
                return "STARTTLS (plaintext greeting, STARTTLS offered"
                    + (r.startTlsReply == null ? ")" : ", answered " + r.startTlsReply + ")");
            case NONE:
                return "no TLS (plaintext greeting, STARTTLS not offered)";
            default:
                return "unknown (the server stopped answering first)";
        }
    }

    private String trustVerdict() {
        if (r.trustRefusal == null) {
            return "chain trusted by this JVM";
        }
        String refusal = String.valueOf(r.trustRefusal.getMessage());
        // no path to a trust anchor is the JDK's way of saying "unknown CA"; other refusals speak for themselves
        String reason = r.expiredCertificate() != null ? "expired: "
            : refusal.contains("PKIX path building failed") ? "unknown CA: " : "";
        return "NOT trusted by this JVM (" + reason + printable(refusal) + ")";
    }

    private String identityVerdict() {
        ServerIdentity.Match identity = r.identity();
        if (identity == ServerIdentity.Match.NONE) {
            return r.serverName + " does NOT match the certificate ("
                + String.join(", ", ServerIdentity.names(r.chain[0])) + ")";
        }
        return r.serverName + " matches the certificate (" + identity.description + ")";
    }

    private void printFindings(PrintStream out) {
        if (findings.isEmpty()) {
            out.println("No findings: usable and safe.");
            return;
        }
        out.println("Findings");
        for (Finding finding : findings) {
            out.println("  " + finding.severity().id() + " [" + finding.id() + "] " + finding.message());
            out.println("      fix: " + finding.fix());
        }
    }

    private void printSettings(PrintStream out) {
        out.println("Settings for this endpoint");
        if (!settings.jakartaMail.isEmpty()) {
            out.println("  Jakarta Mail / javax.mail (session properties)");
            for (Map.Entry<String, String> setting : settings.jakartaMail.entrySet()) {
                out.println("    " + setting.getKey() + "=" + setting.getValue());
            }
            out.println("  Spring Boot (application.properties)");
            for (Map.Entry<String, String> setting : settings.springBoot.entrySet()) {
                out.println("    " + setting.getKey() + "=" + setting.getValue());
            }
        }
        for (String note : settings.notes) {
            out.println("  note: " + note);
        }
    }

    private static void label(PrintStream out, String label, String value) {
        out.println(String.format(LABEL, label, value));
    }

    private static String extensions(EhloCapabilities capabilities) {
        return capabilities.extensions().isEmpty() ? "(no extensions)"
            : printable(String.join(", ", capabilities.extensions()));
    }

    private static String mechanisms(List<String> mechanisms) {
        return mechanisms.isEmpty() ? "not offered" : printable(String.join(" ", mechanisms));
    }

    /** The trust store the JVM's default trust manager reads: {@code javax.net.ssl.trustStore} or the JDK's own. */
    private static String trustStore() {
        String configured = System.getProperty("javax.net.ssl.trustStore");
        return configured != null && !configured.isEmpty() ? configured : "the JDK's cacerts";
    }

    private static String instant(Date date) {
        SimpleDateFormat format = new SimpleDateFormat("yyyy-MM-dd'T'HH:mm:ss'Z'", Locale.ROOT);
        format.setTimeZone(TimeZone.getTimeZone("UTC"));
        return format.format(date);
    }
}
