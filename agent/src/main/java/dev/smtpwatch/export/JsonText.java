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
            String escape;
            switch (c) {
                case '"': escape = "\\\""; break;
                case '\\': escape = "\\\\"; break;
                case '\n': escape = "\\n"; break;
                case '\r': escape = "\\r"; break;
                case '\t': escape = "\\t"; break;
                default:
                    if (c >= 0x20 && c != 0x7f && c != '\u2028' && c != '\u2029') {
                        continue;
                    }
                    escape = String.format("\\u%04x", (int) c);
            }
            out.append(value, plain, i).append(escape);
            plain = i + 1;
        }
        return out.append(value, plain, value.length()).append('"');
    }
}
