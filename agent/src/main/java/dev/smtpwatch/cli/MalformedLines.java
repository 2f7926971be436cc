package dev.smtpwatch.cli;

import java.util.ArrayList;
import java.util.Collections;
import java.util.List;

/**
 * Lines of a review's input that are no report lines: all counted, the first {@link #SHOWN} kept with file, line
 * and problem (a truncated or corrupted file can have millions; the first few say what went wrong).
 */
final class MalformedLines {
    static final int SHOWN = 20;

    private final List<String> shown = new ArrayList<String>();
    private long count;

    /** @param lineNumber 1-based; 0 when the whole file could not be read */
    void add(String file, int lineNumber, String problem) {
        count++;
        if (shown.size() < SHOWN) {
            shown.add(lineNumber > 0 ? file + " line " + lineNumber + ": " + problem : problem);
        }
    }

    long count() {
        return count;
    }

    /** "file line N: problem" for the first {@link #SHOWN}. */
    List<String> shown() {
        return Collections.unmodifiableList(shown);
    }
}
