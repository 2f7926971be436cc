package dev.smtpwatch.demo;

import dev.smtpwatch.testserver.ScriptedSmtpServer;
import dev.smtpwatch.testserver.TestPki;
import dev.smtpwatch.testserver.TlsMode;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.Paths;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Collections;
import java.util.List;
import java.util.jar.Attributes;
import java.util.jar.JarOutputStream;
import java.util.jar.Manifest;

/**
 * Start-up to the first mail, with and without the agent: the sample app sends over STARTTLS with AUTH and
 * prints a line once it is sent; we time the JVM from its start to that line. Runs alternate (without, with,
 * without, …) so that machine load hits both sides alike. Usage: {@code StartupBenchmark [runs]
 * [javax-mail|angus-mail|spring-boot-mail|…|no-mail]} (any sample app module; the Spring ones read the same
 * {@code mail.*} settings through {@code spring.mail.*}). {@code no-mail} times an app that sends nothing
 * ({@link NoMailApp}) with the agent against the same app with an empty {@code -javaagent} ({@link EmptyAgent}).
 */
public final class StartupBenchmark {
    /** Another build's agent jar, measured in the same interleaved series ({@code -Dbench.compareAgent=<jar>}). */
    private static final String COMPARED_AGENT = System.getProperty("bench.compareAgent");

    private StartupBenchmark() {
    }

    public static void main(String[] args) throws Exception {
        int runs = args.length > 0 ? Integer.parseInt(args[0]) : 15;
        String app = args.length > 1 ? args[1] : "angus-mail";
        ProjectFiles files = ProjectFiles.locate();
        Path work = files.workDir("bench-run");
        if (app.equals("no-mail")) {
            noMail(runs, files, work);
            return;
        }
        Path report = work.resolve("report.jsonl");
        TestPki pki = TestPki.create(work.resolve("pki"));
        List<Long> without = new ArrayList<>();
        List<Long> with = new ArrayList<>();
        List<Long> compared = new ArrayList<>();
        try (ScriptedSmtpServer server = ScriptedSmtpServer.builder()
                 .tls(TlsMode.STARTTLS_REQUIRED, pki.serverContext(TestPki.Cert.LOCALHOST)).auth("bench", "bench").start()) {
            String[] properties = mailProperties(server.port(), pki);
            String agent = "-javaagent:" + files.agentJar() + "=report=" + report;
            String other = COMPARED_AGENT == null ? null
                : "-javaagent:" + COMPARED_AGENT + "=report=" + work.resolve("compared-report.jsonl");
            for (int i = -2; i < runs; i++) {
                long withoutRun = measure(files.sampleApp(app), null, properties);
                long withRun = measure(files.sampleApp(app), agent, properties);
                long otherRun = other == null ? 0 : measure(files.sampleApp(app), other, properties);
                if (i >= 0) {
                    without.add(withoutRun);
                    with.add(withRun);
                    compared.add(otherRun);
                }
            }
        }
        long lines = Files.lines(report).count();
        System.out.printf("app %s, %d runs each, start-up to first mail (ms):%n", app, runs);
        System.out.printf("  without agent: median %d  min %d  max %d%n", median(without), min(without), max(without));
        System.out.printf("  with agent:    median %d  min %d  max %d%n", median(with), min(with), max(with));
        System.out.printf("  added by the agent (median): %d ms; report lines written: %d%n",
            median(with) - median(without), lines);
        if (COMPARED_AGENT != null) {
            System.out.printf("  %s: median %d, added %d ms%n", COMPARED_AGENT, median(compared),
                median(compared) - median(without));
        }
    }

    private static void noMail(int runs, ProjectFiles files, Path work) throws Exception {
        Path emptyAgent = emptyAgentJar(work);
        Path demo = Paths.get(StartupBenchmark.class.getProtectionDomain().getCodeSource().getLocation().toURI());
        List<String> launch = Arrays.asList("-cp", demo.toString(), NoMailApp.class.getName());
        String empty = "-javaagent:" + emptyAgent;
        String agent = "-javaagent:" + files.agentJar() + "=report=" + work.resolve("report.jsonl");
        List<Long> without = new ArrayList<>();
        List<Long> with = new ArrayList<>();
        for (int i = -2; i < runs; i++) {
            long emptyRun = reported(SampleRun.run(launch, empty));
            long agentRun = reported(SampleRun.run(launch, agent));
            if (i >= 0) {
                without.add(emptyRun);
                with.add(agentRun);
            }
        }
        System.out.printf("no-mail app, %d runs each, start-up to main's line (ms):%n", runs);
        System.out.printf("  empty -javaagent: median %d  min %d  max %d%n", median(without), min(without), max(without));
        System.out.printf("  smtpwatch agent:  median %d  min %d  max %d%n", median(with), min(with), max(with));
        System.out.printf("  added by the agent (median): %d ms%n", median(with) - median(without));
    }

    /**
     * The settings every sample app reads: STARTTLS (required) and AUTH against {@code port} on localhost, through
     * {@code mail.*} or, in the Spring ones, {@code spring.mail.*}.
     */
    static String[] mailProperties(int port, TestPki pki) {
        return new String[] {"-Dmail.smtp.host=localhost", "-Dmail.smtp.port=" + port,
            "-Dmail.smtp.auth=true", "-Dmail.smtp.starttls.enable=true", "-Dmail.smtp.starttls.required=true",
            "-Dspring.mail.host=localhost", "-Dspring.mail.port=" + port,
            "-Dspring.mail.username=bench", "-Dspring.mail.password=bench",
            "-Dspring.mail.properties.mail.smtp.auth=true",
            "-Dspring.mail.properties.mail.smtp.starttls.enable=true",
            "-Dspring.mail.properties.mail.smtp.starttls.required=true",
            "-Djavax.net.ssl.trustStore=" + pki.trustStore(), "-Djavax.net.ssl.trustStorePassword=changeit",
            "-Dsample.user=bench", "-Dsample.password=bench"};
    }

    /** A jar whose manifest names {@link EmptyAgent}, found on the class path of the run. */
    static Path emptyAgentJar(Path work) throws Exception {
        Path jar = work.resolve("empty-agent.jar");
        Manifest manifest = new Manifest();
        manifest.getMainAttributes().put(Attributes.Name.MANIFEST_VERSION, "1.0");
        manifest.getMainAttributes().putValue("Premain-Class", EmptyAgent.class.getName());
        try (JarOutputStream out = new JarOutputStream(Files.newOutputStream(jar), manifest)) {
            out.finish();
        }
        return jar;
    }

    private static long reported(SampleRun run) {
        if (run.exitCode != 0) {
            throw new IllegalStateException("app failed: " + run.stderr);
        }
        return run.reportedMillis;
    }

    private static long measure(Path app, String agent, String[] properties) throws Exception {
        return reported(SampleRun.run(app, agent, properties));
    }

    private static long median(List<Long> values) {
        List<Long> sorted = new ArrayList<>(values);
        Collections.sort(sorted);
        return sorted.get(sorted.size() / 2);
    }

    private static long min(List<Long> values) {
        return Collections.min(values);
    }

    private static long max(List<Long> values) {
        return Collections.max(values);
    }
}
