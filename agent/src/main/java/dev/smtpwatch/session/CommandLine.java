package dev.smtpwatch.session;

import java.nio.charset.StandardCharsets;
import java.util.Locale;

/**
 * Reads what may be recorded of a command line straight from the bytes the library wrote: the verb, the AUTH
 * mechanism, the MAIL/RCPT path. Never turns the whole line into a String, so AUTH initial responses and
 * other arguments never exist outside the library's own buffer.
 */
final class CommandLine {
    private static final int MAX_VERB = 16;
    private static final int MAX_ARG = 320;
    /** Returned as these very strings, so that a command's verb costs no allocation. */
    private static final String[] KNOWN_VERBS = {"EHLO", "HELO", "MAIL", "RCPT", "DATA", "BDAT", "RSET", "QUIT",
        "NOOP", "AUTH", "STARTTLS", "VRFY", "EXPN", "HELP"};

    private final byte[] line;
    private final int verbEnd;

    CommandLine(byte[] line) {
        this.line = line;
        int end = 0;
        while (end < line.length && line[end] != ' ') {
            end++;
        }
        this.verbEnd = end;
    }

    /** Upper-case verb; {@code ?} for anything that is not a plausible SMTP verb. */
    String verb() {
        if (verbEnd == 0 || verbEnd > MAX_VERB) {
            return "?";
        }
        for (int i = 0; i < verbEnd; i++) {
            if (!isAsciiLetterOrDigit(line[i])) {
                return "?";
            }
        }
        for (String known : KNOWN_VERBS) {
            if (known.length() == verbEnd && regionEqualsIgnoreCase(0, known)) {
                return known;
            }
        }
        return new String(line, 0, verbEnd, StandardCharsets.US_ASCII).toUpperCase(Locale.ROOT);
    }

    /** The first argument token (e.g. the AUTH mechanism), upper case; null when absent or implausible. */
    String firstToken() {
        int start = verbEnd + 1;
        int end = start;
        while (end < line.length && line[end] != ' ' && end - start <= MAX_VERB) {
            if (!isAsciiLetterOrDigit(line[end]) && line[end] != '-' && line[end] != '_') {
                return null;
            }
            end++;
        }
        if (end == start || end - start > MAX_VERB) {
            return null;
        }
        return new String(line, start, end - start, StandardCharsets.US_ASCII).toUpperCase(Locale.ROOT);
    }

    /** Whether a later argument token equals the given upper-case word (BDAT's {@code LAST}). */
    boolean hasToken(String wanted) {
        int i = verbEnd;
        while (i < line.length) {
            while (i < line.length && line[i] == ' ') {
                i++;
            }
            int start = i;
            while (i < line.length && line[i] != ' ') {
                i++;
            }
            if (i - start == wanted.length() && regionEqualsIgnoreCase(start, wanted)) {
                return true;
            }
        }
        return false;
    }

    /**
     * The reverse or forward path of MAIL/RCPT ({@code FROM:<a@b>}), without ESMTP parameters, as sent (the
     * command masks it where it is read); null when the line has no such path.
     */
    String path() {
        int start = verbEnd + 1;
        if (start >= line.length) {
            return null;
        }
        int close = -1;
        for (int i = start; i < line.length && i - start < MAX_ARG; i++) {
            if (line[i] == '>') {
                close = i;
                break;
            }
        }
        int end = close >= 0 ? close + 1 : Math.min(line.length, start + MAX_ARG);
        return new String(line, start, end - start, StandardCharsets.UTF_8);
    }

    /** Whether the line is exactly the given text (the lone {@code .} ending DATA). */
    boolean is(String text) {
        return line.length == text.length() && regionEqualsIgnoreCase(0, text);
    }

    /** {@code wanted} is ASCII. */
    private boolean regionEqualsIgnoreCase(int start, String wanted) {
        for (int j = 0; j < wanted.length(); j++) {
            if (Character.toUpperCase((char) line[start + j]) != Character.toUpperCase(wanted.charAt(j))) {
                return false;
            }
        }
        return true;
    }

    private static boolean isAsciiLetterOrDigit(byte b) {
        return (b >= 'A' && b <= 'Z') || (b >= 'a' && b <= 'z') || (b >= '0' && b <= '9');
    }
}
