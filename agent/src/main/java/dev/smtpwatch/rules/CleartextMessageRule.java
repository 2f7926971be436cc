package dev.smtpwatch.rules;

import dev.smtpwatch.session.SmtpCommand;
import dev.smtpwatch.session.SmtpSession;
import java.util.Collections;
import java.util.List;

/**
 * {@code cleartext-message}: a message went over a connection without TLS (DATA answered 354, or BDAT, in
 * plaintext). Medium; info when the server is a loopback address, where the message never leaves the host.
 */
public final class CleartextMessageRule implements Rule {
    @Override
    public List<Finding> judge(SmtpSession session) {
        if (!messageInPlaintext(session)) {
            return Collections.emptyList();
        }
        boolean loopback = SessionFacts.loopback(session.serverAddress());
        return Collections.singletonList(new Finding("cleartext-message",
            loopback ? Severity.INFO : Severity.MEDIUM,
            what(session) + " to " + SessionFacts.where(session) + (loopback ? " (loopback)" : "")
                + " without TLS " + SessionFacts.whyPlaintext(session),
            Fixes.requireStartTls(session)));
    }

    /** The words match the session: a failed send put its content on the wire, but no message was accepted. */
    private static String what(SmtpSession session) {
        int messages = session.messages();
        if (messages == 0) {
            return "message content went out, though the server accepted no message,";
        }
        return messages == 1 ? "a message was sent" : messages + " messages were sent";
    }

    private static boolean messageInPlaintext(SmtpSession session) {
        for (SmtpCommand command : session.commandsToJudge()) {
            if (!command.tls() && (command.is("DATA") && command.reply() == 354 || command.is("BDAT"))) {
                return true;
            }
        }
        return false;
    }
}
