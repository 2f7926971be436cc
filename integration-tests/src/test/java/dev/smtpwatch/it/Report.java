package dev.smtpwatch.it;

import com.fasterxml.jackson.databind.DeserializationFeature;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;

/**
 * A JSON Lines report file as the agent wrote it: every line must be one whole JSON object, and the file must end
 * with a line break (the agent writes each line whole and flushed).
 */
public final class Report {
    private static final ObjectMapper JSON = new ObjectMapper()
            .enable(DeserializationFeature.FAIL_ON_TRAILING_TOKENS)
            .enable(DeserializationFeature.FAIL_ON_READING_DUP_TREE_KEY);

    private Report() {
    }

    /** The lines of {@code file}, parsed; fails on a line that is not one JSON object. */
    public static List<JsonNode> read(Path file) {
        String text;
        try {
            text = Files.readString(file, StandardCharsets.UTF_8);
        } catch (IOException e) {
            throw new UncheckedIOException("cannot read the report " + file, e);
        }
        List<JsonNode> lines = new ArrayList<>();
        if (text.isEmpty()) {
            return lines;
        }
        if (!text.endsWith("\n")) {
            throw new AssertionError("report " + file + " does not end with a line break:\n" + text);
        }
        int number = 0;
        for (String line : text.substring(0, text.length() - 1).split("\n", -1)) {
            number++;
            JsonNode node;
            try {
                node = JSON.readTree(line);
            } catch (IOException e) {
                throw new AssertionError("report line " + number + " is not JSON (" + e.getMessage() + "): " + line);
            }
            if (node == null || !node.isObject()) {
                throw new AssertionError("report line " + number + " is not a JSON object: " + line);
            }
            lines.add(node);
        }
        return lines;
    }

    /** The one line of {@code file}; fails unless there is exactly one. */
    public static JsonNode single(Path file) {
        List<JsonNode> lines = read(file);
        if (lines.size() != 1) {
            throw new AssertionError("expected exactly one report line in " + file + ", got " + lines.size()
                    + ": " + lines);
        }
        return lines.get(0);
    }

    /** The raw text of {@code file}, for searching it for things that must not be there. */
    public static String text(Path file) {
        try {
            return Files.readString(file, StandardCharsets.UTF_8);
        } catch (IOException e) {
            throw new UncheckedIOException("cannot read the report " + file, e);
        }
    }

    /** Parses {@code json} (a test's expectation written as JSON text). */
    public static JsonNode parse(String json) {
        try {
            return JSON.readTree(json);
        } catch (IOException e) {
            throw new IllegalArgumentException("bad JSON in a test: " + json, e);
        }
    }

    public static ObjectMapper mapper() {
        return JSON;
    }
}
