package dev.smtpwatch.it.matrix;

import dev.smtpwatch.it.postfix.PostfixServer.Listener;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * What the matrix runs with every library line: a listener of the real Postfix, the client's TLS settings, and what
 * the report must say (outcome, TLS mode, findings). How many commands of each kind went over the wire, and with
 * which TLS protocol, cipher and SASL mechanism, is not written here: Postfix's log says it ({@link Referee}).
 */
enum Scenario {
    /** STARTTLS required, identity checked, trusted CA: the clean submission setup. */
    STARTTLS_AUTH("STARTTLS+AUTH on submission", Listener.SUBMISSION, true,
            settings("mail.smtp.starttls.enable", "true", "mail.smtp.starttls.required", "true"),
            Outcome.SENT, "starttls", true,
            verbs("EHLO", "STARTTLS", "EHLO", "AUTH", "MAIL", "RCPT", "DATA", "QUIT")),
    /**
     * AUTH configured, STARTTLS not: submission offers no AUTH before TLS, so every library skips AUTH and goes on
     * to MAIL, which Postfix refuses with 530 5.7.0 (the envelope went in plaintext: starttls-not-used too).
     */
    AUTH_WITHOUT_STARTTLS("AUTH without STARTTLS on submission", Listener.SUBMISSION, true,
            settings(), Outcome.FAILED, "none", false, verbs("EHLO", "MAIL", "RSET", "QUIT"),
            "server-requires-starttls", "starttls-not-used"),
    /** Implicit TLS on the implicit listener: clean. */
    IMPLICIT_TLS("implicit TLS on the implicit listener", Listener.IMPLICIT, true,
            settings("mail.smtp.ssl.enable", "true"),
            Outcome.SENT, "implicit", true, verbs("EHLO", "AUTH", "MAIL", "RCPT", "DATA", "QUIT")),
    /** No STARTTLS configured against a relay that offers it but accepts AUTH in plaintext: the leak. */
    PLAINTEXT_AUTH_LEGACY("plaintext AUTH on the legacy relay", Listener.LEGACY, true,
            settings(), Outcome.SENT, "none", false, verbs("EHLO", "AUTH", "MAIL", "RCPT", "DATA", "QUIT"),
            "cleartext-auth", "starttls-not-used", "cleartext-message"),
    /** STARTTLS enabled but not required, server without TLS: the library goes on in plaintext. */
    STARTTLS_DOWNGRADE("STARTTLS not required against the no-TLS listener", Listener.NOTLS, true,
            settings("mail.smtp.starttls.enable", "true", "mail.smtp.starttls.required", "false"),
            Outcome.SENT, "none", false, verbs("EHLO", "AUTH", "MAIL", "RCPT", "DATA", "QUIT"),
            "cleartext-auth", "starttls-downgrade", "cleartext-message"),
    /** Implicit TLS against the STARTTLS port: the server greets in plaintext, the handshake fails at once. */
    IMPLICIT_ON_SUBMISSION("implicit TLS against submission", Listener.SUBMISSION, true,
            settings("mail.smtp.ssl.enable", "true"), Outcome.FAILED, "implicit", false, verbs(),
            "implicit-tls-on-starttls-port"),
    /** Plaintext (STARTTLS required) against the implicit listener: no greeting comes, the read times out. */
    PLAINTEXT_ON_IMPLICIT("plaintext against the implicit listener", Listener.IMPLICIT, true,
            settings("mail.smtp.starttls.enable", "true", "mail.smtp.starttls.required", "true",
                    "mail.smtp.connectiontimeout", "3000", "mail.smtp.timeout", "3000"),
            Outcome.FAILED, "none", false, verbs(), "plaintext-on-implicit-tls-port"),
    /** No trust store: the JDK's default CAs do not know the test CA. */
    UNTRUSTED_CERTIFICATE("untrusted certificate", Listener.SUBMISSION, false,
            settings("mail.smtp.starttls.enable", "true", "mail.smtp.starttls.required", "true"),
            Outcome.FAILED, "starttls", false, verbs("EHLO", "STARTTLS"),
            "tls-handshake-failed:untrusted-certificate"),
    /** A trusted certificate for wrong.example, identity check on. */
    WRONG_HOST_CERTIFICATE("wrong-host certificate", Listener.WRONG_HOST, true,
            settings("mail.smtp.starttls.enable", "true", "mail.smtp.starttls.required", "true"),
            Outcome.FAILED, "starttls", false, verbs("EHLO", "STARTTLS"),
            "tls-handshake-failed:hostname-mismatch");

    enum Outcome {
        SENT("sent"), FAILED("failed");

        final String reportValue;

        Outcome(String reportValue) {
            this.reportValue = reportValue;
        }
    }

    /** Read timeouts of every run (ms), so that a hung session fails in seconds; scenarios may set shorter ones. */
    static final String DEFAULT_TIMEOUT_MS = "10000";

    final String title;
    final Listener listener;
    final boolean trustTestCa;
    final Map<String, String> settings;
    final Outcome outcome;
    final String tlsMode;
    final boolean tlsEstablished;
    /** The verbs in order, or null when libraries legitimately differ (then only Postfix's counts judge). */
    final List<String> verbs;
    /** Finding ids, {@code id:detail} for {@code tls-handshake-failed}, sorted. */
    final List<String> findings;

    Scenario(String title, Listener listener, boolean trustTestCa, Map<String, String> settings, Outcome outcome,
            String tlsMode, boolean tlsEstablished, List<String> verbs, String... findings) {
        this.title = title;
        this.listener = listener;
        this.trustTestCa = trustTestCa;
        this.settings = settings;
        this.outcome = outcome;
        this.tlsMode = tlsMode;
        this.tlsEstablished = tlsEstablished;
        this.verbs = verbs;
        List<String> sorted = new ArrayList<>(Arrays.asList(findings));
        Collections.sort(sorted);
        this.findings = Collections.unmodifiableList(sorted);
    }

    private static Map<String, String> settings(String... keyValues) {
        Map<String, String> m = new LinkedHashMap<>();
        for (int i = 0; i < keyValues.length; i += 2) {
            m.put(keyValues[i], keyValues[i + 1]);
        }
        return Collections.unmodifiableMap(m);
    }

    private static List<String> verbs(String... verbs) {
        return List.of(verbs);
    }
}
