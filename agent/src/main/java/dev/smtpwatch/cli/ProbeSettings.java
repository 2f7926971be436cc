package dev.smtpwatch.cli;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * The settings an app should use for the probed endpoint: Jakarta Mail / javax.mail session properties (the same
 * keys in javax.mail, Jakarta Mail and Angus Mail) and their Spring Boot spelling. Always the safe choice: TLS
 * mandatory, the identity check on, timeouts set; for an endpoint without TLS that means the app refuses to send
 * until the server offers it, which a note says.
 */
final class ProbeSettings {
    /** A finite wait for connect, each read and each write; the libraries' default is forever. */
    static final String TIMEOUT_MILLIS = "10000";

    final Map<String, String> jakartaMail = new LinkedHashMap<String, String>();
    final Map<String, String> springBoot = new LinkedHashMap<String, String>();
    final List<String> notes = new ArrayList<String>();

    private ProbeSettings() {
    }

    /** {@code mail.smtps.} for implicit TLS (protocol smtps), else {@code mail.smtp.}. */
    static String prefix(ProbeResult r) {
        return r.mode == ProbeResult.Mode.IMPLICIT ? "mail.smtps." : "mail.smtp.";
    }

    static ProbeSettings of(ProbeResult r) {
        ProbeSettings settings = new ProbeSettings();
        if (r.mode == ProbeResult.Mode.UNKNOWN) {
            settings.notes.add("no settings: " + r.where() + " stopped answering before it showed how it speaks TLS");
            return settings;
        }
        settings.endpoint(r);
        String prefix = prefix(r);
        if (!r.authAfterTls().isEmpty() || !r.authBeforeTls().isEmpty()) {
            settings.property(prefix + "auth", "true");
        }
        if (r.mode != ProbeResult.Mode.IMPLICIT) {
            settings.property(prefix + "starttls.enable", "true");
            settings.property(prefix + "starttls.required", "true");
        }
        settings.property(prefix + "ssl.checkserveridentity", "true");
        if (r.tlsEstablished && "TLSv1.3".equals(r.tlsProtocol)) {
            settings.property(prefix + "ssl.protocols", "TLSv1.2 TLSv1.3");
        } else if (r.tlsEstablished && "TLSv1.2".equals(r.tlsProtocol)) {
            settings.property(prefix + "ssl.protocols", "TLSv1.2");
        }
        settings.property(prefix + "connectiontimeout", TIMEOUT_MILLIS);
        settings.property(prefix + "timeout", TIMEOUT_MILLIS);
        settings.property(prefix + "writetimeout", TIMEOUT_MILLIS);
        settings.notes(r);
        return settings;
    }

    private void endpoint(ProbeResult r) {
        boolean implicit = r.mode == ProbeResult.Mode.IMPLICIT;
        if (implicit) {
            jakartaMail.put("mail.transport.protocol", "smtps");
        }
        String prefix = prefix(r);
        jakartaMail.put(prefix + "host", r.host);
        jakartaMail.put(prefix + "port", Integer.toString(r.port));
        springBoot.put("spring.mail.host", r.host);
        springBoot.put("spring.mail.port", Integer.toString(r.port));
        springBoot.put("spring.mail.protocol", implicit ? "smtps" : "smtp");
        if (!r.authAfterTls().isEmpty() || !r.authBeforeTls().isEmpty()) {
            springBoot.put("spring.mail.username", "<user>");
            springBoot.put("spring.mail.password", "<password>");
        }
    }

    /** A {@code mail.*} session property, and the same under {@code spring.mail.properties.}. */
    private void property(String key, String value) {
        jakartaMail.put(key, value);
        springBoot.put("spring.mail.properties." + key, value);
    }

    private void notes(ProbeResult r) {
        if (r.mode == ProbeResult.Mode.NONE) {
            notes.add(r.where() + " offers no TLS: with these settings the app refuses to send there until it does");
        }
        if (r.chain != null && r.identity() == ServerIdentity.Match.IP_ADDRESS) {
            List<String> dnsNames = ServerIdentity.dnsNames(r.chain[0]);
            notes.add("the certificate names " + r.serverName + " as an IP address entry: Angus Mail 2 accepts that,"
                + " javax.mail 1.x and com.sun.mail Jakarta Mail 2.0 check DNS names only"
                + (dnsNames.isEmpty() ? "" : " (use a name the certificate lists there: "
                    + String.join(", ", dnsNames) + ")"));
        }
    }
}
