package dev.smtpwatch.cli;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * Parses one JSON text into plain Java values: objects become {@link LinkedHashMap}s (field order kept), arrays
 * {@link List}s, numbers {@link Long} when integral and in range else {@link Double}, plus {@link String},
 * {@link Boolean} and null. The agent jar carries no JSON library (it would end up in the app's JVM), and the
 * report is simple enough for a strict RFC 8259 reader of a hundred lines.
 */
final class JsonReader {
    /** Deeper nesting is no report line; the limit keeps a hostile line from overflowing the stack. */
    private static final int MAX_DEPTH = 64;

    private final String text;
    private int pos;
    private int depth;

    private JsonReader(String text) {
        this.text = text;
    }

    /** @throws MalformedJsonException saying what is wrong and at which column (1-based) */
    static Object parse(String text) throws MalformedJsonException {
        JsonReader reader = new JsonReader(text);
        reader.skipWhitespace();
        Object value = reader.value();
        reader.skipWhitespace();
        if (reader.pos < text.length()) {
            throw reader.error("unexpected '" + text.charAt(reader.pos) + "' after the value");
        }
        return value;
    }

    private Object value() throws MalformedJsonException {
        if (pos >= text.length()) {
            throw error("a value expected");
        }
        char c = text.charAt(pos);
        switch (c) {
            case '{': return object();
            case '[': return array();
            case '"': return string();
            case 't': return literal("true", Boolean.TRUE);
            case 'f': return literal("false", Boolean.FALSE);
            case 'n': return literal("null", null);
            default:
                if (c == '-' || (c >= '0' && c <= '9')) {
                    return number();
                }
                throw error("unexpected '" + c + "'");
        }
    }

    private Map<String, Object> object() throws MalformedJsonException {
        Map<String, Object> members = new LinkedHashMap<String, Object>();
        if (open('}')) {
            do {
                skipWhitespace();
                if (peek() != '"') {
                    throw error("expected a field name in quotes");
                }
                String name = string();
                skipWhitespace();
                expect(':');
                skipWhitespace();
                members.put(name, value());
            } while (another('}'));
        }
        return members;
    }

    private List<Object> array() throws MalformedJsonException {
        List<Object> elements = new ArrayList<Object>();
        if (open(']')) {
            do {
                skipWhitespace();
                elements.add(value());
            } while (another(']'));
        }
        return elements;
    }

    /** Consumes the opening bracket; false when {@code close} follows at once (an empty object or array). */
    private boolean open(char close) throws MalformedJsonException {
        if (++depth > MAX_DEPTH) {
            throw error("nested more than " + MAX_DEPTH + " levels deep");
        }
        pos++;
        skipWhitespace();
        return !closed(close);
    }

    /** After a member or element: true when a ',' announces another, false when {@code close} ends them. */
    private boolean another(char close) throws MalformedJsonException {
        skipWhitespace();
        if (peek() == ',') {
            pos++;
            return true;
        }
        if (closed(close)) {
            return false;
        }
        throw error("expected ',' or '" + close + "'");
    }

    private boolean closed(char close) {
        if (peek() != close) {
            return false;
        }
        pos++;
        depth--;
        return true;
    }

    private String string() throws MalformedJsonException {
        int start = pos;
        pos++;
        StringBuilder out = new StringBuilder();
        while (true) {
            if (pos >= text.length()) {
                pos = start;
                throw error("string not closed");
            }
            char c = text.charAt(pos++);
            if (c == '"') {
                return out.toString();
            }
            if (c < 0x20) {
                pos--;
                throw error("control character in a string (must be escaped)");
            }
            if (c != '\\') {
                out.append(c);
                continue;
            }
            if (pos >= text.length()) {
                throw error("string not closed");
            }
            char escape = text.charAt(pos++);
            switch (escape) {
                case '"': out.append('"'); break;
                case '\\': out.append('\\'); break;
                case '/': out.append('/'); break;
                case 'b': out.append('\b'); break;
                case 'f': out.append('\f'); break;
                case 'n': out.append('\n'); break;
                case 'r': out.append('\r'); break;
                case 't': out.append('\t'); break;
                case 'u': out.append(unicodeEscape()); break;
                default:
                    pos--;
                    throw error("bad escape '\\" + escape + "'");
            }
        }
    }

    /** The four hex digits of a backslash-u escape; a surrogate pair comes as two escapes, joined in the text. */
    private char unicodeEscape() throws MalformedJsonException {
        if (pos + 4 > text.length()) {
            throw error("\\u needs four hex digits");
        }
        int code = 0;
        for (int i = 0; i < 4; i++) {
            int digit = Character.digit(text.charAt(pos + i), 16);
            if (digit < 0) {
                throw error("\\u needs four hex digits");
            }
            code = code * 16 + digit;
        }
        pos += 4;
        return (char) code;
    }

    private Object number() throws MalformedJsonException {
        int start = pos;
        if (peek() == '-') {
            pos++;
        }
        if (peek() == '0') {
            pos++;
        } else if (!digits()) {
            throw error("bad number");
        }
        boolean integral = true;
        if (peek() == '.') {
            pos++;
            integral = false;
            if (!digits()) {
                throw error("bad number: digits expected after '.'");
            }
        }
        if (peek() == 'e' || peek() == 'E') {
            pos++;
            integral = false;
            if (peek() == '+' || peek() == '-') {
                pos++;
            }
            if (!digits()) {
                throw error("bad number: digits expected in the exponent");
            }
        }
        String literal = text.substring(start, pos);
        if (integral) {
            try {
                return Long.valueOf(literal);
            } catch (NumberFormatException tooLarge) {
                // beyond a long: keep its magnitude as a double, as most JSON readers do
            }
        }
        return Double.valueOf(literal);
    }

    /** Consumes a run of digits; false when there was none. */
    private boolean digits() {
        int start = pos;
        while (pos < text.length() && text.charAt(pos) >= '0' && text.charAt(pos) <= '9') {
            pos++;
        }
        return pos > start;
    }

    private Object literal(String word, Object value) throws MalformedJsonException {
        if (!text.startsWith(word, pos)) {
            throw error("unexpected '" + text.charAt(pos) + "'");
        }
        pos += word.length();
        return value;
    }

    private void expect(char c) throws MalformedJsonException {
        if (peek() != c) {
            throw error("expected '" + c + "'");
        }
        pos++;
    }

    /** The next character, or 0 at the end (never a valid token there). */
    private char peek() {
        return pos < text.length() ? text.charAt(pos) : 0;
    }

    private void skipWhitespace() {
        while (pos < text.length()) {
            char c = text.charAt(pos);
            if (c != ' ' && c != '\t' && c != '\n' && c != '\r') {
                return;
            }
            pos++;
        }
    }

    private MalformedJsonException error(String problem) {
        String where = pos >= text.length() ? "at the end of the line" : "at column " + (pos + 1);
        return new MalformedJsonException(problem + " " + where);
    }

    /** A JSON text that does not parse; the message says what and where, for one line to the user. */
    static final class MalformedJsonException extends Exception {
        private static final long serialVersionUID = 1L;

        MalformedJsonException(String message) {
            super(message);
        }
    }
}
