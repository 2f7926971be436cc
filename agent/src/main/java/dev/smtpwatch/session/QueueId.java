package dev.smtpwatch.session;

/**
 * Finds the id a server gives an accepted message, to look the mail up in the server's logs. Parsed by hand, not
 * by regular expressions: it runs on the sending thread for every accepted message.
 */
final class QueueId {
    private static final int MAX_LENGTH = 64;

    private QueueId() {
    }

    /**
     * Postfix {@code Ok: queued as X}, Exim {@code OK id=X} (X of letters, digits and {@code ._-}, 4 to 64 long),
     * Sendmail {@code 250 2.0.0 X Message accepted for delivery} (X of 6 to 64 letters and digits).
     */
    static String in(String reply) {
        if (reply == null) {
            return null;
        }
        String id = afterEach(reply, "queued as ", false);
        if (id == null) {
            id = afterEach(reply, "id=", true);
        }
        return id != null ? id : sendmail(reply);
    }

    /** The first id that follows an occurrence of {@code marker} ({@code wordStart}: not inside a word). */
    private static String afterEach(String reply, String marker, boolean wordStart) {
        for (int at = reply.indexOf(marker); at >= 0; at = reply.indexOf(marker, at + 1)) {
            if (wordStart && at > 0 && isWordChar(reply.charAt(at - 1))) {
                continue;
            }
            int start = at + marker.length();
            int end = idEnd(reply, start, true);
            if (end - start >= 4) {
                return reply.substring(start, end);
            }
        }
        return null;
    }

    private static String sendmail(String reply) {
        if (!reply.startsWith("250") || reply.length() < 4 || (reply.charAt(3) != ' ' && reply.charAt(3) != '-')) {
            return null;
        }
        int start = 4;
        if (reply.length() >= start + 6 && isDigit(reply.charAt(start)) && reply.charAt(start + 1) == '.'
            && isDigit(reply.charAt(start + 2)) && reply.charAt(start + 3) == '.' && isDigit(reply.charAt(start + 4))
            && reply.charAt(start + 5) == ' ') {
            start += 6; // the enhanced status code
        }
        int end = idEnd(reply, start, false);
        return end - start >= 6 && reply.startsWith(" Message accepted", end) ? reply.substring(start, end) : null;
    }

    /** Where the id that starts at {@code start} ends, at most {@value #MAX_LENGTH} characters on. */
    private static int idEnd(String reply, int start, boolean punctuation) {
        int limit = Math.min(reply.length(), start + MAX_LENGTH);
        int end = start;
        while (end < limit && isIdChar(reply.charAt(end), punctuation)) {
            end++;
        }
        return end;
    }

    private static boolean isIdChar(char c, boolean punctuation) {
        return c < 128 && (Character.isLetterOrDigit(c) || punctuation && (c == '.' || c == '_' || c == '-'));
    }

    private static boolean isWordChar(char c) {
        return Character.isLetterOrDigit(c) || c == '_';
    }

    private static boolean isDigit(char c) {
        return c >= '0' && c <= '9';
    }
}
