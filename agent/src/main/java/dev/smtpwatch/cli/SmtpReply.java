package dev.smtpwatch.cli;

import java.util.ArrayList;
import java.util.Collections;
import java.util.List;

/** One server reply as {@code probe} read it: the reply code and the text of each line, without the code. */
final class SmtpReply {
    private final int code;
    private final List<String> lines;

    SmtpReply(int code, List<String> lines) {
        this.code = code;
        this.lines = Collections.unmodifiableList(new ArrayList<String>(lines));
    }

    int code() {
        return code;
    }

    /** The text after {@code 250-} / {@code 250 } of each line, in order. */
    List<String> lines() {
        return lines;
    }

    /** The first line's text: for a greeting, the server's name and banner. */
    String firstLine() {
        return lines.isEmpty() ? "" : lines.get(0);
    }

    /**
     * Parses one reply line: {@code code} (three digits), then {@code '-'} when more lines follow or {@code ' '} /
     * nothing on the last. Returns null for anything else: a server that does not speak SMTP here.
     */
    static Line parseLine(String line) {
        if (line.length() < 3 || !digits(line.substring(0, 3))) {
            return null;
        }
        if (line.length() == 3) {
            return new Line(Integer.parseInt(line), true, "");
        }
        char separator = line.charAt(3);
        if (separator != ' ' && separator != '-') {
            return null;
        }
        return new Line(Integer.parseInt(line.substring(0, 3)), separator == ' ', line.substring(4));
    }

    private static boolean digits(String s) {
        for (int i = 0; i < s.length(); i++) {
            if (s.charAt(i) < '0' || s.charAt(i) > '9') {
                return false;
            }
        }
        return true;
    }

    /** One parsed line of a (possibly multi-line) reply. */
    static final class Line {
        final int code;
        final boolean last;
        final String text;

        Line(int code, boolean last, String text) {
            this.code = code;
            this.last = last;
            this.text = text;
        }
    }
}
