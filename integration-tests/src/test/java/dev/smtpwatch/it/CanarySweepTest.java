package dev.smtpwatch.it;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;

/**
 * Runs after the whole suite (its own surefire execution, see the pom): every file the tests left under the work
 * directory — reports, rotated reports, the apps' captured stdout and stderr, OTLP payloads as received, HTML
 * pages, SARIF and CLI output, the kept {@code @TempDir}s — holds none of the canary secrets in any of their forms.
 */
class CanarySweepTest {
    @Test
    void nothingTheSuiteProducedHoldsASecret() throws IOException {
        Path root = ItSupport.workDir().toAbsolutePath();
        assertTrue(Files.isDirectory(root), () -> "nothing to sweep: " + root + " is missing; run the suite first");
        Map<String, String> forms = Canaries.forms();
        Map<String, Integer> filesByKind = new TreeMap<>();
        List<String> hits = new ArrayList<>();
        long bytes = 0;
        try (Stream<Path> files = Files.walk(root)) {
            for (Path file : (Iterable<Path>) files.filter(Files::isRegularFile)::iterator) {
                // ISO-8859-1 maps every byte to one char: text and binary files are searched alike
                String content = new String(Files.readAllBytes(file), StandardCharsets.ISO_8859_1);
                bytes += content.length();
                filesByKind.merge(kind(file), 1, Integer::sum);
                for (Map.Entry<String, String> form : forms.entrySet()) {
                    if (content.contains(form.getValue())) {
                        hits.add(root.relativize(file) + ": " + form.getKey());
                    }
                }
            }
        }
        int scanned = filesByKind.values().stream().mapToInt(Integer::intValue).sum();
        System.out.println("canary sweep: " + scanned + " files, " + bytes + " bytes, " + forms.size()
                + " forms, " + hits.size() + " hits; files by kind: " + filesByKind);
        assertTrue(scanned > 0, "the sweep scanned no file");
        assertTrue(filesByKind.getOrDefault("stderr", 0) > 0, () -> "no captured app output: " + filesByKind);
        assertTrue(filesByKind.getOrDefault("jsonl", 0) > 0, () -> "no report: " + filesByKind);
        assertEquals(List.of(), hits, "secrets found in the suite's output");
    }

    private static String kind(Path file) {
        String name = file.getFileName().toString();
        int dot = name.lastIndexOf('.');
        return dot < 0 ? "(none)" : name.substring(dot + 1);
    }
}
