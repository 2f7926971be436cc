package dev.smtpwatch.cli;

import java.io.BufferedReader;
import java.io.File;
import java.io.FileInputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.InputStreamReader;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;

/**
 * Reads JSON Lines reports one line at a time (reports of long-running apps grow large, and nothing here needs
 * two sessions at once) and hands each session to a {@link SessionHandler}. Blank lines are skipped.
 *
 * <p>{@link #read} is strict: a line that is not a report line stops the command (the CI gate must not pass on a
 * file it could not read whole). {@link #readAll} reads many files, directories and stdin for a review: a bad line
 * is counted in {@link MalformedLines} and reading goes on.
 */
final class ReportFile {
    /** The argument that names stdin. */
    static final String STDIN = "-";
    private static final String REPORT_SUFFIX = ".jsonl";
    /** The agent rotates a full report to {@code <path>.1} (report.maxMB): part of the same history. */
    private static final String ROTATED_SUFFIX = ".jsonl.1";

    private ReportFile() {
    }

    /** Receives the sessions in file order. */
    interface SessionHandler {
        void session(ReportSession session) throws CliException;
    }

    /** Receives each non-blank line of a source with its 1-based number. */
    private interface LineHandler {
        void line(int number, String line) throws CliException;
    }

    /** @param name the path as the user gave it, so that messages name the file the way they typed it */
    static void read(String name, SessionHandler handler) throws CliException {
        File file = new File(name);
        if (!file.exists()) {
            throw CliException.badInput(name + ": no such file");
        }
        if (file.isDirectory()) {
            throw CliException.badInput(name + ": is a directory, not a report file");
        }
        lines(name, file, (number, line) -> {
            try {
                handler.session(parse(line, number));
            } catch (MalformedLineException e) {
                throw CliException.badInput(name + " line " + number + ": " + e.getMessage());
            }
        });
    }

    /**
     * Reads every source in order: a file, a directory (every {@code *.jsonl} and rotated {@code *.jsonl.1} below
     * it, in name order) or
     * {@link #STDIN}. A source that does not exist is bad input, found before anything is read; a line that is no
     * report line, or a file in a directory that cannot be read, goes to {@code malformed}.
     */
    static void readAll(List<String> sources, InputStream stdin, SessionHandler handler, MalformedLines malformed)
            throws CliException {
        for (String source : sources) {
            if (!STDIN.equals(source) && !new File(source).exists()) {
                throw CliException.badInput(source + ": no such file or directory");
            }
        }
        for (String source : sources) {
            if (STDIN.equals(source)) {
                lines(name(source), stdin, tolerant(name(source), handler, malformed));
            } else if (new File(source).isDirectory()) {
                for (File file : reportsBelow(new File(source))) {
                    try {
                        lines(file.getPath(), file, tolerant(file.getPath(), handler, malformed));
                    } catch (CliException unreadable) {
                        malformed.add(file.getPath(), 0, unreadable.getMessage());
                    }
                }
            } else {
                lines(source, new File(source), tolerant(source, handler, malformed));
            }
        }
    }

    /** How messages name a source: as the user gave it, {@code stdin} for {@link #STDIN}. */
    static String name(String source) {
        return STDIN.equals(source) ? "stdin" : source;
    }

    /** The sources as messages name them, joined by blanks. */
    static String names(List<String> sources) {
        StringBuilder names = new StringBuilder();
        for (String source : sources) {
            names.append(names.length() == 0 ? "" : " ").append(name(source));
        }
        return names.toString();
    }

    /** Hands report lines on and counts the others in {@code malformed}, naming {@code name}. */
    private static LineHandler tolerant(String name, SessionHandler handler, MalformedLines malformed) {
        return (number, line) -> {
            try {
                handler.session(parse(line, number));
            } catch (MalformedLineException e) {
                malformed.add(name, number, e.getMessage());
            }
        };
    }

    /** The report files below {@code dir} at any depth, in path order so every run reads them alike. */
    private static List<File> reportsBelow(File dir) {
        List<File> reports = new ArrayList<File>();
        File[] entries = dir.listFiles();
        if (entries == null) {
            return reports;
        }
        Arrays.sort(entries);
        for (File entry : entries) {
            if (entry.isDirectory()) {
                reports.addAll(reportsBelow(entry));
            } else if (entry.getName().endsWith(REPORT_SUFFIX) || entry.getName().endsWith(ROTATED_SUFFIX)) {
                reports.add(entry);
            }
        }
        return reports;
    }

    private static void lines(String name, File file, LineHandler handler) throws CliException {
        try (InputStream in = new FileInputStream(file)) {
            lines(name, in, handler);
        } catch (IOException e) {
            throw CliException.badInput("cannot read " + name + " (" + e.getMessage() + ")");
        }
    }

    private static void lines(String name, InputStream stream, LineHandler handler) throws CliException {
        try {
            BufferedReader in = new BufferedReader(new InputStreamReader(stream, StandardCharsets.UTF_8));
            int number = 0;
            for (String line = in.readLine(); line != null; line = in.readLine()) {
                number++;
                if (!line.trim().isEmpty()) {
                    handler.line(number, line);
                }
            }
        } catch (IOException e) {
            throw CliException.badInput("cannot read " + name + " (" + e.getMessage() + ")");
        }
    }

    private static ReportSession parse(String line, int number) throws MalformedLineException {
        Object json;
        try {
            json = JsonReader.parse(line);
        } catch (JsonReader.MalformedJsonException e) {
            throw new MalformedLineException("not valid JSON (" + e.getMessage() + ")");
        }
        try {
            return ReportSession.of(json, number);
        } catch (IllegalArgumentException e) {
            throw new MalformedLineException(e.getMessage());
        }
    }

    /** A line that is no report line; the message says why, for "file line N: problem". */
    private static final class MalformedLineException extends Exception {
        private static final long serialVersionUID = 1L;

        MalformedLineException(String message) {
            super(message);
        }
    }
}
