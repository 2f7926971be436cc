package dev.smtpwatch.cli;

import dev.smtpwatch.export.JsonText;
import java.io.IOException;
import java.util.Iterator;
import java.util.List;
import java.util.Map;

/**
 * Writes the values {@link JsonReader} produces (maps, lists, strings, numbers, booleans, null) as indented JSON,
 * for the SARIF file: a reviewer opens it in an editor, so it is laid out one member a line.
 */
final class JsonWriter {
    private static final String INDENT = "  ";

    private final Appendable out;

    private JsonWriter(Appendable out) {
        this.out = out;
    }

    static void write(Object value, Appendable out) throws IOException {
        new JsonWriter(out).value(value, 0);
        out.append('\n');
    }

    private void value(Object value, int level) throws IOException {
        if (value instanceof Map) {
            object((Map<?, ?>) value, level);
        } else if (value instanceof List) {
            array((List<?>) value, level);
        } else if (value instanceof String) {
            string((String) value);
        } else {
            // numbers, booleans and null print as Java prints them
            out.append(String.valueOf(value));
        }
    }

    private void object(Map<?, ?> members, int level) throws IOException {
        if (members.isEmpty()) {
            out.append("{}");
            return;
        }
        out.append('{');
        Iterator<? extends Map.Entry<?, ?>> it = members.entrySet().iterator();
        while (it.hasNext()) {
            Map.Entry<?, ?> member = it.next();
            newLine(level + 1);
            string(String.valueOf(member.getKey()));
            out.append(": ");
            value(member.getValue(), level + 1);
            if (it.hasNext()) {
                out.append(',');
            }
        }
        newLine(level);
        out.append('}');
    }

    private void array(List<?> elements, int level) throws IOException {
        if (elements.isEmpty()) {
            out.append("[]");
            return;
        }
        out.append('[');
        for (int i = 0; i < elements.size(); i++) {
            newLine(level + 1);
            value(elements.get(i), level + 1);
            if (i < elements.size() - 1) {
                out.append(',');
            }
        }
        newLine(level);
        out.append(']');
    }

    private void newLine(int level) throws IOException {
        out.append('\n');
        for (int i = 0; i < level; i++) {
            out.append(INDENT);
        }
    }

    private void string(String text) throws IOException {
        out.append(JsonText.appendQuoted(new StringBuilder(text.length() + 2), text));
    }
}
