package dev.smtpwatch.cli;

/** HTML (and SVG) text escaping: everything from a report or the docs reaches the page only through here. */
final class Html {
    private Html() {
    }

    /** Escapes for element text and quoted attribute values; control characters become U+FFFD. */
    static String escape(String text) {
        if (text == null) {
            return "";
        }
        StringBuilder out = new StringBuilder(text.length() + 16);
        for (int i = 0; i < text.length(); i++) {
            char c = text.charAt(i);
            switch (c) {
                case '&': out.append("&amp;"); break;
                case '<': out.append("&lt;"); break;
                case '>': out.append("&gt;"); break;
                case '"': out.append("&quot;"); break;
                case '\'': out.append("&#39;"); break;
                default:
                    out.append(c < 0x20 && c != '\n' && c != '\t' || c == 0x7f ? '\ufffd' : c);
            }
        }
        return out.toString();
    }

    /** A fragment usable as an element id: lower-case letters, digits and '-' only. */
    static String id(String text) {
        StringBuilder out = new StringBuilder();
        for (char c : text.toLowerCase(java.util.Locale.ROOT).toCharArray()) {
            out.append(c >= 'a' && c <= 'z' || c >= '0' && c <= '9' || c == '-' ? c : '-');
        }
        return out.toString();
    }
}
