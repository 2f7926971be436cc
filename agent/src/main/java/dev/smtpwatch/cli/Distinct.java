package dev.smtpwatch.cli;

import java.util.ArrayList;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * The distinct values of one column of an inventory (TLS protocols, ciphers, libraries, …) with how many sessions
 * had each; at most {@code cap} values are kept, later new ones only counted, so a hostile or odd report cannot
 * make the summary's memory grow with its size.
 */
final class Distinct {
    private final int cap;
    private final Map<String, Long> counts = new LinkedHashMap<String, Long>();
    private long otherValues;

    Distinct(int cap) {
        this.cap = cap;
    }

    void add(String value, long sessions) {
        if (value == null) {
            return;
        }
        Long count = counts.get(value);
        if (count != null) {
            counts.put(value, count + sessions);
        } else if (counts.size() < cap) {
            counts.put(value, sessions);
        } else {
            otherValues += sessions;
        }
    }

    /** The kept values, most sessions first (first seen first among equals). */
    List<String> values() {
        List<Map.Entry<String, Long>> entries = new ArrayList<Map.Entry<String, Long>>(counts.entrySet());
        Collections.sort(entries, (a, b) -> Long.compare(b.getValue(), a.getValue()));
        List<String> values = new ArrayList<String>();
        for (Map.Entry<String, Long> entry : entries) {
            values.add(entry.getKey());
        }
        return values;
    }

    boolean isEmpty() {
        return counts.isEmpty();
    }

    /** The values joined for one cell: {@code a, b, c} and {@code (+N more)} when the cap was reached. */
    String joined() {
        StringBuilder text = new StringBuilder();
        for (String value : values()) {
            text.append(text.length() == 0 ? "" : ", ").append(value);
        }
        if (otherValues > 0) {
            text.append(" (+").append(otherValues).append(otherValues == 1 ? " session" : " sessions")
                .append(" with other values)");
        }
        return text.length() == 0 ? "-" : text.toString();
    }
}
