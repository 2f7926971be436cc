package dev.smtpwatch.it.matrix;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.Paths;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * The JDKs the sample apps run on, inside one test run: the test JVM's own (17 in CI) and JDK 25, found by
 * {@code JAVA_25_HOME} or at {@value #DEFAULT_JDK_25}.
 */
enum Jdk {
    /** The JDK running the tests (JDK 17 in CI). */
    TEST_JVM,
    /** JDK 25 from {@code JAVA_25_HOME}, else {@value #DEFAULT_JDK_25}. */
    JDK_25;

    static final String JDK_25_ENV = "JAVA_25_HOME";
    static final String DEFAULT_JDK_25 = "/usr/lib/jvm/temurin-25-jdk-amd64";
    private static final Pattern VERSION = Pattern.compile("^JAVA_VERSION=\"([^\"]+)\"", Pattern.MULTILINE);

    /** The JDK's home directory. */
    Path home() {
        if (this == TEST_JVM) {
            return Paths.get(System.getProperty("java.home"));
        }
        String configured = System.getenv(JDK_25_ENV);
        return Paths.get(configured != null && !configured.isBlank() ? configured : DEFAULT_JDK_25);
    }

    /** Whether {@code bin/java} is there. */
    boolean available() {
        return Files.isExecutable(home().resolve("bin").resolve("java"));
    }

    /** Why the JDK cannot be used, for a skip or a failure message. */
    String unavailableReason() {
        return "no JDK 25 at " + home() + " (set " + JDK_25_ENV + " or install it at " + DEFAULT_JDK_25 + ")";
    }

    /** The full version from the JDK's {@code release} file (e.g. {@code 17.0.15}), or "?" when unreadable. */
    String version() {
        if (this == TEST_JVM) {
            return System.getProperty("java.version");
        }
        try {
            Matcher m = VERSION.matcher(Files.readString(home().resolve("release")));
            return m.find() ? m.group(1) : "?";
        } catch (IOException e) {
            return "?";
        }
    }

    /** The feature release, e.g. {@code 17}. */
    String major() {
        String v = version();
        int dot = v.indexOf('.');
        return dot < 0 ? v : v.substring(0, dot);
    }

    /** Column header, e.g. {@code JDK 17}. */
    String label() {
        return "JDK " + major();
    }
}
