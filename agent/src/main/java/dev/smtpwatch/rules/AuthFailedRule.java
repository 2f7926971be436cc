package dev.smtpwatch.rules;

import dev.smtpwatch.session.SmtpCommand;
import dev.smtpwatch.session.SmtpSession;
import java.util.Collections;
import java.util.List;

/**
 * {@code auth-failed}: the server rejected the credentials (535), or refused the login with a reply whose meaning
 * is well known ({@link Known}): then the finding says what it means and what to do. Only the reply code and the
 * enhanced status code are quoted, never the server's text.
 */
public final class AuthFailedRule implements Rule {
    /** Replies to AUTH that mean one thing, from the providers' documentation. */
    enum Known {
        BASIC_AUTH_DISABLED(535, "5.7.139", "rejected the credentials of",
            "basic authentication (a password) is disabled for the Microsoft 365 tenant"),
        BASIC_AUTH_NOT_SUPPORTED(550, "5.7.30", "refused",
            "basic authentication (a password) is not supported for this account"),
        APP_PASSWORD_REQUIRED(534, "5.7.9", "refused",
            "the account requires an application-specific password (2-Step Verification is on)"),
        TOO_MANY_LOGINS(454, "4.7.0", "refused",
            "too many login attempts in a short time (the server throttles logins)"),
        THROTTLED(421, null, "refused",
            "the server is throttling this client (too many connections or logins) and closed the connection");

        final int code;
        /** null: any enhanced status code (or none). */
        final String status;
        final String verb;
        final String meaning;

        Known(int code, String status, String verb, String meaning) {
            this.code = code;
            this.status = status;
            this.verb = verb;
            this.meaning = meaning;
        }

        static Known of(int code, String status) {
            for (Known k : values()) {
                if (k.code == code && (k.status == null || k.status.equals(status))) {
                    return k;
                }
            }
            return null;
        }
    }

    @Override
    public List<Finding> judge(SmtpSession session) {
        SmtpCommand auth = session.auth();
        if (auth == null) {
            return Collections.emptyList();
        }
        String status = SessionFacts.enhancedStatus(auth.replyText());
        Known known = Known.of(auth.reply(), status);
        if (known == null && auth.reply() != 535) {
            return Collections.emptyList();
        }
        String reply = auth.reply() + (status == null ? "" : " " + status);
        String message = SessionFacts.where(session) + " " + (known == null ? "rejected the credentials of"
            : known.verb) + " " + SessionFacts.auth(auth) + " with " + reply
            + (known == null ? "" : ", which means " + known.meaning);
        return Collections.singletonList(new Finding("auth-failed", Severity.LOW, message, fix(session, known)));
    }

    private static String fix(SmtpSession session, Known known) {
        String oauth = "OAuth2: " + Fixes.set(session, Fixes.key(session, "auth.mechanisms") + "=XOAUTH2")
            + " and pass an access token from the provider as the password";
        if (known == null) {
            return "check the user name and password the app passes to Transport.connect (Spring Boot:"
                + " spring.mail.username and spring.mail.password), using an app password or OAuth2 ("
                + Fixes.key(session, "auth.mechanisms") + "=XOAUTH2) where the provider requires one, as Gmail and"
                + " Microsoft 365 do";
        }
        switch (known) {
            case BASIC_AUTH_DISABLED:
            case BASIC_AUTH_NOT_SUPPORTED:
                return "use " + oauth;
            case APP_PASSWORD_REQUIRED:
                return "create an app password for the account and use it instead of the account password, or use "
                    + oauth;
            default:
                return "log in less often: connect once and send several messages over the connection (one"
                    + " Transport.connect, then sendMessage per message) instead of a connection per message, and"
                    + " wait before retrying";
        }
    }
}
