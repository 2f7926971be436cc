package dev.smtpwatch.it;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.extension.AnnotatedElementContext;
import org.junit.jupiter.api.extension.ExtensionContext;
import org.junit.jupiter.api.io.TempDirFactory;

/**
 * Every {@code @TempDir} of the suite, under {@code <workDir>/tmp} and kept (junit-platform.properties): the reports,
 * pages and logs the tests wrote stay for the canary sweep, which runs after all of them.
 */
public final class KeptTempDirs implements TempDirFactory {
    @Override
    public Path createTempDirectory(AnnotatedElementContext element, ExtensionContext context) throws IOException {
        Path root = Files.createDirectories(ItSupport.workDir().toAbsolutePath().resolve("tmp"));
        return Files.createTempDirectory(root, context.getRequiredTestClass().getSimpleName() + "-");
    }
}
