package dev.smtpwatch.rules;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.smtpwatch.session.SessionFixture;
import dev.smtpwatch.session.SmtpSession;
import java.util.List;

/** Sessions the rule tests share, built with {@link SessionFixture}, and the assertions every rule test makes. */
final class Sessions {
    static final String HOST = "smtp.example.com";
    static final String TLS13 = "TLSv1.3";
    static final String AES = "TLS_AES_128_GCM_SHA256";

    private Sessions() {
    }

    /** A submission client done right: STARTTLS enabled and required, identity check on, AUTH. */
    static SessionFixture startTlsConfig(int port) {
        return SessionFixture.at(HOST, port).startTls(true, true).checkServerIdentity(true).auth();
    }

    /** Implicit TLS ({@code ssl.enable=true}), identity check on, AUTH. */
    static SessionFixture implicitTlsConfig(int port) {
        return SessionFixture.at(HOST, port).sslEnable().checkServerIdentity(true).auth();
    }

    /** EHLO, STARTTLS, EHLO, AUTH, one message, QUIT: all after the first EHLO over TLS 1.3. */
    static SmtpSession startTlsSession(SessionFixture config) {
        return config.greeting(220).ehlo(true).upgradeToTls(TLS13, AES).authenticate(235).sendMessage().quit().end();
    }

    /** TLS from the first byte, then EHLO, AUTH, one message, QUIT. */
    static SmtpSession implicitTlsSession(SessionFixture config) {
        return config.tlsEstablished(TLS13, AES).greeting(220).ehlo(false).authenticate(235).sendMessage().quit()
            .end();
    }

    /** EHLO, AUTH, one message, QUIT, all in plaintext. */
    static SmtpSession plaintextSession(SessionFixture config, boolean serverOffersStartTls) {
        return config.greeting(220).ehlo(serverOffersStartTls).authenticate(235).sendMessage().quit().end();
    }

    /** The library's wrapper around a connect-time failure, as javax.mail throws it. */
    static Exception couldNotConnect(int port, Throwable cause) {
        return new Exception("Could not connect to SMTP host: " + HOST + ", port: " + port, cause);
    }

    /**
     * Asserts exactly one finding, with this id and severity, a message naming host:port and reading as one
     * sentence, and a fix containing the given text.
     */
    static Finding assertOnly(List<Finding> findings, String id, Severity severity, String where, String fix) {
        assertEquals(1, findings.size(), () -> "findings: " + describe(findings));
        Finding finding = findings.get(0);
        assertEquals(id, finding.id());
        assertEquals(severity, finding.severity());
        assertTrue(finding.message().contains(where), () -> "message names " + where + ": " + finding.message());
        assertOneSentence(finding.message());
        assertOneSentence(finding.fix());
        assertTrue(finding.fix().contains(fix), () -> "fix contains '" + fix + "': " + finding.fix());
        return finding;
    }

    static void assertNone(List<Finding> findings) {
        assertTrue(findings.isEmpty(), () -> "no finding expected: " + describe(findings));
    }

    private static void assertOneSentence(String text) {
        assertTrue(!text.isEmpty() && !text.contains("\n") && !text.contains(". ") && !text.endsWith("."),
            () -> "one sentence without a final period (the log line continues after it): " + text);
    }

    static String describe(List<Finding> findings) {
        StringBuilder b = new StringBuilder();
        for (Finding f : findings) {
            b.append("\n  [").append(f.id()).append(' ').append(f.severity().id()).append("] ").append(f.message())
                .append(" — fix: ").append(f.fix());
        }
        return b.toString();
    }
}
