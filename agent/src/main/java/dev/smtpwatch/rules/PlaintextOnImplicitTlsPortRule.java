package dev.smtpwatch.rules;

import dev.smtpwatch.session.SmtpSession;
import dev.smtpwatch.session.TlsMode;
import java.util.Collections;
import java.util.List;

/**
 * {@code plaintext-on-implicit-tls-port}: the client waited for a plaintext greeting from a server that expects a
 * TLS handshake first, so no greeting came: the read timed out, the server closed the connection ("response: -1"),
 * or what came was no SMTP reply ("Got bad greeting"). The recorded greeting is then -1.
 *
 * <p>Raised from the missing greeting, never from the port. A connection that was never made (refused, unknown
 * host, connect timeout) is no evidence; nor is a missing greeting on 25, 587 or 2525, where it means a slow or
 * hung server far more often than implicit TLS.
 */
public final class PlaintextOnImplicitTlsPortRule implements Rule {
    @Override
    public List<Finding> judge(SmtpSession session) {
        if (session.tlsMode() == TlsMode.IMPLICIT || session.greeting() != -1 || session.error() == null
            || SessionFacts.connectFailed(session.error()) || SessionFacts.startTlsPort(session.serverPort())) {
            return Collections.emptyList();
        }
        String where = SessionFacts.where(session);
        String mode = session.config().startTlsEnable() ? "plaintext with STARTTLS enabled" : "plaintext";
        String sslEnable = Fixes.key(session, "ssl.enable");
        String port = session.serverPort() == SessionFacts.IMPLICIT_TLS_PORT
            ? ", an implicit-TLS port," : "";
        return Collections.singletonList(new Finding("plaintext-on-implicit-tls-port", Severity.HIGH,
            "the client spoke " + mode + " (" + sslEnable + " is false) to " + where + port + " and "
                + ending(session) + ", as an implicit-TLS server does when the client does not start with TLS",
            Fixes.set(session, sslEnable + "=true") + " to start TLS on the first byte, or connect to port 587"
                + " with STARTTLS"));
    }

    private static String ending(SmtpSession session) {
        if (SessionFacts.mentionsAny(session.error(), "timed out")) {
            return "timed out waiting for the SMTP greeting";
        }
        if (SessionFacts.mentionsAny(session.error(), "bad greeting")) {
            return "got no valid SMTP greeting";
        }
        return "got no SMTP greeting";
    }
}
