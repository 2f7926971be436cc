package dev.smtpwatch.export;

/** A minimal JSON writer for flat report lines: the agent carries no JSON library into the app. */
final class Json {
    private final StringBuilder out = new StringBuilder(1024);
    private boolean first = true;

    Json begin() {
        out.append('{');
        first = true;
        return this;
    }

    Json end() {
        out.append('}');
        first = false;
        return this;
    }

    Json beginArray(String name) {
        key(name).append('[');
        first = true;
        return this;
    }

    Json endArray() {
        out.append(']');
        first = false;
        return this;
    }

    /** An object inside an array. */
    Json element() {
        comma();
        out.append('{');
        first = true;
        return this;
    }

    Json object(String name) {
        key(name).append('{');
        first = true;
        return this;
    }

    Json field(String name, String value) {
        if (value != null) {
            key(name);
            string(value);
        }
        return this;
    }

    Json field(String name, long value) {
        key(name).append(value);
        return this;
    }

    Json field(String name, boolean value) {
        key(name).append(value);
        return this;
    }

    Json stringElement(String value) {
        comma();
        string(value);
        return this;
    }

    @Override
    public String toString() {
        return out.toString();
    }

    private StringBuilder key(String name) {
        comma();
        string(name);
        return out.append(':');
    }

    private void comma() {
        if (!first) {
            out.append(',');
        }
        first = false;
    }

    private void string(String value) {
        out.append('"');
        for (int i = 0; i < value.length(); i++) {
            char c = value.charAt(i);
            switch (c) {
                case '"': out.append("\\\""); break;
                case '\\': out.append("\\\\"); break;
                case '\n': out.append("\\n"); break;
                case '\r': out.append("\\r"); break;
                case '\t': out.append("\\t"); break;
                default:
                    if (c < 0x20 || c == 0x7f || c == '\u2028' || c == '\u2029') {
                        out.append(String.format("\\u%04x", (int) c));
                    } else {
                        out.append(c);
                    }
            }
        }
        out.append('"');
    }
}
