package dev.smtpwatch.session;

/**
 * One command as the client put it on the wire, with the server's final reply.
 * An AUTH exchange is one command (its continuation lines carry credentials and are never recorded);
 * the end of DATA adds none.
 */
public final class SmtpCommand {
    /** Reply code of a command the server never answered (connection closed, timeout, exception). */
    public static final int NO_REPLY = -1;
    /** Of an error reply's text only this much is kept: a hostile or broken server may send megabytes. */
    static final int MAX_REPLY_TEXT = 1000;

    private final String verb;
    /** A MAIL/RCPT path as sent when {@link #maskPath}: masked where it is read, off the sending thread. */
    private final String arg;
    private final boolean maskPath;
    private final boolean tls;
    private int reply = NO_REPLY;
    private String replyText;
    private boolean blocked;

    public SmtpCommand(String verb, String arg, boolean tls) {
        this(verb, arg, false, tls);
    }

    SmtpCommand(String verb, String arg, boolean maskPath, boolean tls) {
        this.verb = verb;
        this.arg = arg;
        this.maskPath = maskPath && arg != null;
        this.tls = tls;
    }

    public String verb() {
        return verb;
    }

    /** The redacted argument: AUTH mechanism, masked MAIL/RCPT path; null for every other verb. */
    public String arg() {
        return maskPath ? AddressMask.maskPath(arg) : arg;
    }

    public boolean tls() {
        return tls;
    }

    public int reply() {
        return reply;
    }

    /**
     * Text of an error reply (4xx/5xx), for rules and error messages; null for positive replies so that
     * nothing the server says about a successful exchange is kept.
     */
    public String replyText() {
        return replyText;
    }

    /** Whether {@code enforce} stopped this command before it reached the socket (it then has no reply). */
    public boolean blocked() {
        return blocked;
    }

    public boolean is(String otherVerb) {
        return verb.equals(otherVerb);
    }

    void block() {
        blocked = true;
    }

    void reply(int code, String text) {
        this.reply = code;
        this.replyText = code >= 400 ? SmtpError.atMost(text, MAX_REPLY_TEXT) : null;
    }
}
