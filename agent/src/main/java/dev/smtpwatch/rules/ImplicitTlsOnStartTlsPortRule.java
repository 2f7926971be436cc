package dev.smtpwatch.rules;

import dev.smtpwatch.session.SmtpSession;
import dev.smtpwatch.session.TlsMode;
import java.util.Collections;
import java.util.List;

/**
 * {@code implicit-tls-on-starttls-port}: the client opened with a TLS handshake and the server answered in
 * plaintext (its SMTP greeting), so the handshake failed on the first bytes: JDK 8 says "Unrecognized SSL
 * message, plaintext connection?", later JDKs "Unsupported or unrecognized SSL message". Raised from that answer,
 * never from the port; a known STARTTLS port only makes the message more precise.
 */
public final class ImplicitTlsOnStartTlsPortRule implements Rule {
    private static final String[] PLAINTEXT_ANSWER = {"nrecognized SSL message", "plaintext connection?"};

    @Override
    public List<Finding> judge(SmtpSession session) {
        if (!applies(session)) {
            return Collections.emptyList();
        }
        String where = SessionFacts.where(session);
        String port = SessionFacts.startTlsPort(session.serverPort())
            ? ", a plaintext/STARTTLS port," : "";
        String fix;
        if ("smtps".equals(session.config().protocol())) {
            fix = Fixes.set(session, Fixes.TRANSPORT_PROTOCOL + "=smtp", "mail.smtp.starttls.enable=true",
                "mail.smtp.starttls.required=true");
        } else {
            fix = Fixes.set(session, Fixes.key(session, "ssl.enable") + "=false",
                Fixes.key(session, "starttls.enable") + "=true", Fixes.key(session, "starttls.required") + "=true");
        }
        return Collections.singletonList(new Finding("implicit-tls-on-starttls-port", Severity.HIGH,
            "the client started TLS on the first byte (" + SessionFacts.implicitTlsSetting(session) + ") with "
                + where + port + " but the server answered in plaintext, so the handshake failed",
            fix + ", or keep implicit TLS and connect to port " + SessionFacts.IMPLICIT_TLS_PORT));
    }

    /** Whether an implicit-TLS handshake failed because the server spoke plaintext. */
    static boolean applies(SmtpSession session) {
        return session.tlsMode() == TlsMode.IMPLICIT && !session.tlsEstablished()
            && SessionFacts.mentionsAny(session.error(), PLAINTEXT_ANSWER);
    }
}
