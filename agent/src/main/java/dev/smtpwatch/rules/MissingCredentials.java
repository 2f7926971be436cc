package dev.smtpwatch.rules;

import dev.smtpwatch.session.SmtpSession;

/**
 * The words for a connect the library abandoned before opening a socket: AUTH configured, no password given and
 * no {@code Authenticator} to ask. Not a finding (nothing went over the network), but the app's configuration can
 * never connect, and the library's own message ("failed to connect, no password specified?") does not say why.
 */
public final class MissingCredentials {
    private MissingCredentials() {
    }

    public static String warning(SmtpSession attempt) {
        String springFix = Fixes.fromSpring(attempt)
            ? " (Spring Boot: set spring.mail.username and spring.mail.password)" : "";
        return Fixes.key(attempt, "auth") + "=true for " + SessionFacts.where(attempt)
            + ", but the app gave no user name and password and its mail Session has no Authenticator: the library"
            + " gives up before connecting (\"failed to connect, no password specified?\") — fix: pass them to"
            + " Transport.connect or Transport.send, or create the Session with an Authenticator" + springFix;
    }
}
