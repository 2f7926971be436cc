package dev.smtpwatch.cli;

/**
 * The first and the last of the session start times seen. The report's {@code time} is UTC ISO-8601 with a fixed
 * number of digits, so text order is time order and nothing needs parsing.
 */
final class TimeRange {
    private String first;
    private String last;

    /** @param time a session's {@code time}, or null when the line had none */
    void add(String time) {
        if (time != null) {
            first = first == null || time.compareTo(first) < 0 ? time : first;
            last = last == null || time.compareTo(last) > 0 ? time : last;
        }
    }

    /** The earliest time, or null when no line had one. */
    String first() {
        return first;
    }

    String last() {
        return last;
    }
}
