package dev.smtpwatch.session;

/** A command {@code enforce} refused: the message for the app's exception, and whether it carried credentials. */
public final class BlockedCommand {
    private final String message;
    private final boolean credentials;

    public BlockedCommand(String message, boolean credentials) {
        this.message = message;
        this.credentials = credentials;
    }

    /** {@code smtpwatch blocked <id>: <message> — fix: <fix>}. */
    public String message() {
        return message;
    }

    /** AUTH or one of its continuation lines (the library's {@code AuthenticationFailedException} then). */
    public boolean credentials() {
        return credentials;
    }
}
