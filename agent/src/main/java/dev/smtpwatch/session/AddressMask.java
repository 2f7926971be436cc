package dev.smtpwatch.session;

/** Masks mail addresses the way the report shows them: {@code a***@example.com}. */
public final class AddressMask {
    private AddressMask() {
    }

    /** Masks the address inside a path such as {@code FROM:<alice@example.com>}; keeps {@code <>} as is. */
    static String maskPath(String path) {
        int open = path.indexOf('<');
        int close = path.indexOf('>', open + 1);
        if (open < 0) {
            return mask(path);
        }
        String address = close > open ? path.substring(open + 1, close) : path.substring(open + 1);
        String rest = close > open ? path.substring(close) : "";
        return path.substring(0, open + 1) + mask(address) + rest;
    }

    /** {@code alice@example.com} → {@code a***@example.com}; an address without {@code @} keeps one character. */
    public static String mask(String address) {
        if (address.isEmpty()) {
            return address;
        }
        int at = address.lastIndexOf('@');
        String domain = at >= 0 ? address.substring(at) : "";
        return address.charAt(0) == '@' ? "***" + domain : address.charAt(0) + "***" + domain;
    }
}
