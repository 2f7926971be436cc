package dev.smtpwatch.rules;

import java.util.Locale;

/** Ordered from least to most severe, so {@code compareTo} answers "at or above". */
public enum Severity {
    INFO, LOW, MEDIUM, HIGH, CRITICAL;

    /** Every finding of every report line asks for it. */
    private final String id = name().toLowerCase(Locale.ROOT);

    public String id() {
        return id;
    }

    /** @throws IllegalArgumentException naming the valid choices */
    public static Severity of(String id) {
        for (Severity s : values()) {
            if (s.id().equalsIgnoreCase(id)) {
                return s;
            }
        }
        throw new IllegalArgumentException("unknown severity '" + id + "' (valid: info, low, medium, high, critical)");
    }
}
