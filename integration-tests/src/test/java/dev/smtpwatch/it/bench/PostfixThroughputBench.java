package dev.smtpwatch.it.bench;

import dev.smtpwatch.demo.BenchSuite;
import dev.smtpwatch.it.postfix.PostfixServer;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.Paths;
import org.junit.jupiter.api.Assumptions;
import org.junit.jupiter.api.Test;

/**
 * The benchmark's throughput rows against the real Postfix (its loopback listener without TLS), written to
 * {@code -Dbench.postfixRows=<file>} for BenchSuite's table. Not a test: its name keeps it out of the suite, and
 * bench/run.sh selects it with {@code -Dtest=PostfixThroughputBench}; it asserts nothing about the numbers.
 */
class PostfixThroughputBench {
    @Test
    void throughputAgainstPostfix() throws Exception {
        String out = System.getProperty("bench.postfixRows");
        Assumptions.assumeTrue(out != null, "run by bench/run.sh");
        PostfixServer.assumeAvailable();
        String otelAgent = System.getProperty("bench.otelAgent");
        String rows = BenchSuite.throughputRows("real Postfix (loopback, no TLS)", PostfixServer.HOST,
            PostfixServer.shared().port(PostfixServer.Listener.NOTLS), Integer.getInteger("bench.rounds", 9),
            otelAgent == null ? null : Paths.get(otelAgent).toAbsolutePath());
        Path file = Paths.get(out);
        Files.write(file, rows.getBytes(StandardCharsets.UTF_8));
    }
}
