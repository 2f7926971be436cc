package dev.smtpwatch.export;

/**
 * A minimal JSON writer for flat report lines: the agent carries no JSON library into the app. Appends to the
 * caller's builder, which the report exporter reuses from line to line.
 */
final class Json {
    private final StringBuilder out;
    private boolean first = true;

    Json(StringBuilder out) {
        this.out = out;
    }

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

    /** A member written before, {@code "name":value}, as it is. */
    Json fragment(String member) {
        comma();
        out.append(member);
        return this;
    }

    Json stringElement(String value) {
        comma();
        string(value);
        return this;
    }

    /** Names are the report's own literals, plain ASCII: unlike values they need no escaping scan. */
    private StringBuilder key(String name) {
        comma();
        return out.append('"').append(name).append("\":");
    }

    private void comma() {
        if (!first) {
            out.append(',');
        }
        first = false;
    }

    private void string(String value) {
        JsonText.appendQuoted(out, value);
    }
}
