package dev.smtpwatch.rules;

import dev.smtpwatch.session.SmtpCommand;
import dev.smtpwatch.session.SmtpSession;
import java.util.Collections;
import java.util.List;
import java.util.Locale;

/**
 * {@code server-requires-starttls}: the server refused a plaintext command because TLS was not active (530 5.7.0
 * "Must issue a STARTTLS command first", 451 5.7.3, 421 or 503 naming STARTTLS/TLS). Postfix with
 * {@code smtpd_tls_auth_only=yes} hides AUTH before STARTTLS, so the refusal often comes on MAIL FROM.
 * The reply text is only matched, never copied into the finding (SPEC: reply text stays in error.message).
 */
public final class ServerRequiresStartTlsRule implements Rule {
    @Override
    public List<Finding> judge(SmtpSession session) {
        SmtpCommand refused = refusedForWantOfTls(session);
        if (refused == null) {
            return Collections.emptyList();
        }
        return Collections.singletonList(new Finding("server-requires-starttls", Severity.HIGH,
            "the client did not start TLS with " + SessionFacts.where(session) + " "
                + SessionFacts.whyPlaintext(session) + ", so the server refused " + refused.verb() + " with "
                + refused.reply() + " (TLS required)",
            Fixes.requireStartTls(session)));
    }

    private static SmtpCommand refusedForWantOfTls(SmtpSession session) {
        for (SmtpCommand command : session.commandsToJudge()) {
            if (refusedForWantOfTls(command)) {
                return command;
            }
        }
        return null;
    }

    /** Whether the server refused this plaintext command because TLS was not active. */
    static boolean refusedForWantOfTls(SmtpCommand command) {
        int code = command.reply();
        String text = command.replyText();
        return !command.tls() && (code == 530 || code == 451 || code == 421 || code == 503)
            && text != null && text.toUpperCase(Locale.ROOT).contains("TLS");
    }
}
