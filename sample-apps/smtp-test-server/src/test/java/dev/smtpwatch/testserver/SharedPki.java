package dev.smtpwatch.testserver;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.Paths;
import java.util.Comparator;
import java.util.stream.Stream;

/** One PKI for all tests of a run, generated afresh so that every run exercises the keytool path. */
final class SharedPki {
    static final Path DIR = Paths.get("target", "test-pki");
    private static TestPki pki;

    private SharedPki() {
    }

    static synchronized TestPki get() {
        if (pki == null) {
            try {
                deleteRecursively(DIR);
                pki = TestPki.create(DIR);
            } catch (IOException e) {
                throw new UncheckedIOException(e);
            }
        }
        return pki;
    }

    private static void deleteRecursively(Path dir) throws IOException {
        if (!Files.exists(dir)) {
            return;
        }
        try (Stream<Path> files = Files.walk(dir)) {
            for (Path file : (Iterable<Path>) files.sorted(Comparator.reverseOrder())::iterator) {
                Files.delete(file);
            }
        }
    }
}
