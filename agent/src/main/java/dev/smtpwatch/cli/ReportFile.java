package dev.smtpwatch.cli;

import java.io.BufferedReader;
import java.io.File;
import java.io.FileInputStream;
import java.io.IOException;
import java.io.InputStreamReader;
import java.nio.charset.StandardCharsets;

/**
 * Reads a JSON Lines report one line at a time (reports of long-running apps grow large, and nothing here needs
 * two sessions at once) and hands each session to a {@link SessionHandler}. Blank lines are skipped; any other
 * line that is not a report line stops the command, naming the file, the line and the problem.
 */
final class ReportFile {
    private ReportFile() {
    }

    /** Receives the sessions in file order. */
    interface SessionHandler {
        void session(ReportSession session) throws CliException;
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
        try (BufferedReader in = new BufferedReader(
                new InputStreamReader(new FileInputStream(file), StandardCharsets.UTF_8))) {
            int number = 0;
            for (String line = in.readLine(); line != null; line = in.readLine()) {
                number++;
                if (!line.trim().isEmpty()) {
                    handler.session(parse(name, number, line));
                }
            }
        } catch (IOException e) {
            throw CliException.badInput("cannot read " + name + " (" + e.getMessage() + ")");
        }
    }

    private static ReportSession parse(String name, int number, String line) throws CliException {
        Object json;
        try {
            json = JsonReader.parse(line);
        } catch (JsonReader.MalformedJsonException e) {
            throw CliException.badInput(name + " line " + number + ": not valid JSON (" + e.getMessage() + ")");
        }
        try {
            return ReportSession.of(json, number);
        } catch (IllegalArgumentException e) {
            throw CliException.badInput(name + " line " + number + ": " + e.getMessage());
        }
    }
}
