package dev.smtpwatch.cli;

/**
 * Ends a command with one line on stderr and an exit code, never a stack trace: the CLI runs in terminals and CI
 * logs, where a trace hides the one thing the user has to change.
 */
final class CliException extends Exception {
    /** Bad input: unknown command, missing argument, unreadable or malformed report, unknown severity. */
    static final int BAD_INPUT = 2;
    /** The command was understood but could not be carried out (e.g. the attach failed). */
    static final int FAILED = 1;

    private static final long serialVersionUID = 1L;
    private final int exitCode;

    private CliException(String message, int exitCode) {
        super(message);
        this.exitCode = exitCode;
    }

    static CliException badInput(String message) {
        return new CliException(message, BAD_INPUT);
    }

    /** {@code probe} had nothing to probe: unknown host, refused, no connection or no SMTP (exit 2, as bad input). */
    static CliException couldNotProbe(String message) {
        return new CliException(message, BAD_INPUT);
    }

    static CliException failed(String message) {
        return new CliException(message, FAILED);
    }

    int exitCode() {
        return exitCode;
    }
}
