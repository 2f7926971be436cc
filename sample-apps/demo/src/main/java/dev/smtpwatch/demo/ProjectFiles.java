package dev.smtpwatch.demo;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.Paths;

/** Where the built agent and sample apps are, from the project root (the working directory, or a parent). */
final class ProjectFiles {
    private final Path root;

    private ProjectFiles(Path root) {
        this.root = root;
    }

    static ProjectFiles locate() throws IOException {
        for (Path dir = Paths.get("").toAbsolutePath(); dir != null; dir = dir.getParent()) {
            if (Files.isDirectory(dir.resolve("agent")) && Files.isDirectory(dir.resolve("sample-apps"))) {
                return new ProjectFiles(dir);
            }
        }
        throw new IOException("run this from the smtpwatch project directory (agent/ and sample-apps/ not found)");
    }

    Path root() {
        return root;
    }

    Path agentJar() throws IOException {
        return built(root.resolve("agent/target/smtpwatch-agent.jar"));
    }

    Path sampleApp(String module) throws IOException {
        return built(root.resolve("sample-apps").resolve(module).resolve("target/app.jar"));
    }

    Path workDir(String name) throws IOException {
        return Files.createDirectories(root.resolve("sample-apps/demo/target").resolve(name));
    }

    private static Path built(Path jar) throws IOException {
        if (!Files.isRegularFile(jar)) {
            throw new IOException(jar + " is missing: build first with `mvn -q install -DskipTests`");
        }
        return jar;
    }
}
