package dev.smtpwatch.session;

/** Masks mail addresses the way the report shows them: {@code a***@example.com}. */
public final class AddressMask {
    private AddressMask() {
    }

    /** Masks the address inside a path such as {@code FROM:<alice@example.com>}; keeps {@code <>} as is. */
    static String maskPath(String path) {
        int open = path.indexOf('<');
        if (open < 0) {
            return mask(path);
        }
        int close = path.indexOf('>', open + 1);
        int addressEnd = close > open ? close : path.length();
        StringBuilder masked = new StringBuilder(path.length() + 3);
        masked.append(path, 0, open + 1);
        appendMasked(masked, path, open + 1, addressEnd);
        return masked.append(path, addressEnd, path.length()).toString();
    }

    /** {@code alice@example.com} → {@code a***@example.com}; an address without {@code @} keeps one character. */
    public static String mask(String address) {
        if (address.isEmpty()) {
            return address;
        }
        StringBuilder masked = new StringBuilder(address.length() + 3);
        appendMasked(masked, address, 0, address.length());
        return masked.toString();
    }

    /** Appends the masked form of the address {@code text[start, end)}: one copy, no substrings on the way. */
    private static void appendMasked(StringBuilder out, String text, int start, int end) {
        if (start == end) {
            return;
        }
        int at = text.lastIndexOf('@', end - 1);
        if (text.charAt(start) != '@') {
            out.append(text.charAt(start));
        }
        out.append("***");
        if (at >= start) {
            out.append(text, at, end);
        }
    }
}
