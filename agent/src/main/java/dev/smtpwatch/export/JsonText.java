package dev.smtpwatch.export;

/** JSON string quoting, shared by the report writer and the CLI's SARIF output. */
public final class JsonText {
    private JsonText() {
    }

    /** Appends the value as a JSON string: quotes, backslash escapes, control and line-separator characters escaped. */
    public static StringBuilder appendQuoted(StringBuilder out, String value) {
        out.append('"');
        int plain = 0; // start of the run of characters that need no escape, appended in one go
        for (int i = 0; i < value.length(); i++) {
            char c = value.charAt(i);
            // printable ASCII other than the quote and the backslash: nearly every character of a report line
            if (c >= 0x20 && c < 0x7f && c != '"' && c != '\\') {
                continue;
            }
            String escape = escapeOf(c);
            if (escape != null) {
                out.append(value, plain, i).append(escape);
                plain = i + 1;
            }
        }
        return out.append(value, plain, value.length()).append('"');
    }

    /** @return the escape of a character outside printable ASCII or a quote or backslash; null when it stays as is */
    private static String escapeOf(char c) {
        switch (c) {
            case '"': return "\\\"";
            case '\\': return "\\\\";
            case '\n': return "\\n";
            case '\r': return "\\r";
            case '\t': return "\\t";
            default:
                if (c >= 0x20 && c != 0x7f && c != '\u2028' && c != '\u2029') {
                    return null;
                }
                return String.format("\\u%04x", (int) c);
        }
    }
}
