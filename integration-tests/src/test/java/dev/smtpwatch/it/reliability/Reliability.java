package dev.smtpwatch.it.reliability;

import dev.smtpwatch.it.ItSupport;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;

/** What the reliability tests share: where their files go, and the figures docs/reliability.md quotes. */
final class Reliability {
    private Reliability() {
    }

    /** {@code <workDir>/reliability/<name>}, created; left after the run for the canary sweep. */
    static Path runDir(String name) {
        try {
            return Files.createDirectories(ItSupport.workDir().resolve("reliability").resolve(name));
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    /** One line of {@code <workDir>/reliability/figures.txt} and stdout: a measured figure of a guarantee. */
    static void record(String test, String figure) {
        String line = test + ": " + figure;
        System.out.println("reliability figure " + line);
        try {
            Files.writeString(runDir(".").resolve("figures.txt"), line + "\n", StandardCharsets.UTF_8,
                    StandardOpenOption.CREATE, StandardOpenOption.APPEND);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }
}
