package dev.smtpwatch.rules;

import dev.smtpwatch.session.SmtpCommand;
import dev.smtpwatch.session.SmtpError;
import dev.smtpwatch.session.SmtpSession;
import dev.smtpwatch.session.TlsMode;
import java.util.Locale;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * What several rules need to know about a session and its server: where it went, the port conventions, and what
 * happened on the wire. Port knowledge only sharpens wording; no rule fires on the port number alone.
 */
final class SessionFacts {
    /** RFC 8314: message submission over implicit TLS. */
    static final int IMPLICIT_TLS_PORT = 465;

    /** Reply code, separator, then class.subject.detail (RFC 3463: class 2, 4 or 5, up to three digits each). */
    private static final Pattern ENHANCED_STATUS = Pattern.compile("\\d{3}[ -]([245]\\.\\d{1,3}\\.\\d{1,3})(?![\\d.])");
    private static final Pattern IPV4_LOOPBACK = Pattern.compile("127\\.\\d{1,3}\\.\\d{1,3}\\.\\d{1,3}");
    /** What a connect failure (no TCP connection at all) leaves in the exception chain. */
    private static final String[] CONNECT_FAILURES = {
        "ConnectException", "UnknownHost", "Unknown SMTP host", "NoRouteToHost", "PortUnreachable",
        "connect timed out"};

    /** Why a client skips EHLO after STARTTLS although the library normally sends it (SMTPTransport.authenticate). */
    static final String LIBRARY_AUTH_RETRY = "as the library does when it answers a 530 to AUTH with a STARTTLS of its"
        + " own and repeats AUTH at once";

    private SessionFacts() {
    }

    /** {@code host:port}, with an IPv6 address in brackets. */
    static String where(SmtpSession s) {
        String host = s.serverAddress() == null ? "(unknown host)" : s.serverAddress();
        boolean ipv6 = host.indexOf(':') >= 0 && !host.startsWith("[");
        return (ipv6 ? "[" + host + "]" : host) + ":" + s.serverPort();
    }

    /** Loopback by name only (localhost, 127.0.0.0/8, ::1): rules never resolve names. */
    static boolean loopback(String host) {
        if (host == null) {
            return false;
        }
        if ("127.0.0.1".equals(host) || "localhost".equals(host)) {
            return true; // the usual spellings, spared the copy and the patterns below
        }
        String h = host.toLowerCase(Locale.ROOT);
        if (h.startsWith("[") && h.endsWith("]")) {
            h = h.substring(1, h.length() - 1);
        }
        return "localhost".equals(h) || h.endsWith(".localhost") || "localhost.localdomain".equals(h)
            || IPV4_LOOPBACK.matcher(h).matches() || "::1".equals(h) || "0:0:0:0:0:0:0:1".equals(h)
            || (h.startsWith("::ffff:") && IPV4_LOOPBACK.matcher(h.substring(7)).matches());
    }

    /** 25 (relay), 587 (submission) and 2525 (common alternative): plaintext first, then STARTTLS. */
    static boolean startTlsPort(int port) {
        return port == 25 || port == 587 || port == 2525;
    }

    /** Whether the session failed before a TCP connection existed (refused, unknown host, connect timeout). */
    static boolean connectFailed(SmtpError error) {
        return mentionsAny(error, CONNECT_FAILURES);
    }

    static boolean mentionsAny(SmtpError error, String... fragments) {
        if (error == null) {
            return false;
        }
        for (String fragment : fragments) {
            if (error.mentions(fragment)) {
                return true;
            }
        }
        return false;
    }

    /**
     * The enhanced status code (RFC 3463) at the start of a reply's first line, {@code 5.7.139} of
     * {@code 535 5.7.139 Authentication unsuccessful…}; null when there is none. Nothing else of the text is used.
     */
    static String enhancedStatus(String replyText) {
        if (replyText == null) {
            return null;
        }
        Matcher m = ENHANCED_STATUS.matcher(replyText);
        return m.lookingAt() ? m.group(1) : null;
    }

    /** {@code AUTH PLAIN}, or just {@code AUTH} when the mechanism was not recorded. */
    static String auth(SmtpCommand auth) {
        return auth.arg() == null ? "AUTH" : "AUTH " + auth.arg();
    }

    /** The first recorded command with this verb, or null. */
    static SmtpCommand first(SmtpSession s, String verb) {
        for (SmtpCommand command : s.commandsToJudge()) {
            if (command.is(verb)) {
                return command;
            }
        }
        return null;
    }

    /** Whether a TLS handshake was started: implicit TLS, or a STARTTLS the server accepted with 220. */
    static boolean tlsAttempted(SmtpSession s) {
        if (s.tlsMode() == TlsMode.IMPLICIT) {
            return true;
        }
        SmtpCommand startTls = first(s, "STARTTLS");
        return startTls != null && startTls.reply() == 220;
    }

    /** "credentials and mail", "credentials" or "mail" that went without TLS; null when neither did. */
    static String sentInPlaintext(SmtpSession s) {
        return inPlaintext(s, false);
    }

    /** The same for what {@code enforce} stopped before it left: null when it stopped nothing sent in plaintext. */
    static String blockedInPlaintext(SmtpSession s) {
        return inPlaintext(s, true);
    }

    private static String inPlaintext(SmtpSession s, boolean blocked) {
        boolean auth = false;
        boolean mail = false;
        for (SmtpCommand command : s.commandsToJudge()) {
            if (!command.tls() && command.blocked() == blocked) {
                auth |= command.is("AUTH");
                mail |= command.is("MAIL");
            }
        }
        if (auth && mail) {
            return "credentials and mail";
        }
        return auth ? "credentials" : mail ? "mail" : null;
    }

    /** Why the client stayed in plaintext, as a clause naming the setting ("because ..."). */
    static String whyPlaintext(SmtpSession s) {
        String enable = Fixes.key(s, "starttls.enable");
        if (!s.config().startTlsEnable()) {
            return "because " + enable + " is not set to true";
        }
        if (!s.config().startTlsRequired() && !s.startTlsOffered()) {
            return "because the server did not offer STARTTLS and " + Fixes.key(s, "starttls.required")
                + " is false";
        }
        return "although " + enable + "=true";
    }

    /** The setting that made the client start with TLS: {@code mail.smtp.ssl.enable=true} or protocol smtps. */
    static String implicitTlsSetting(SmtpSession s) {
        return s.config().sslEnable() ? Fixes.key(s, "ssl.enable") + "=true" : "protocol smtps";
    }
}
