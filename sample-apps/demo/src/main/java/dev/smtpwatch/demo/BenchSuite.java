package dev.smtpwatch.demo;

import dev.smtpwatch.testserver.ScriptedSmtpServer;
import dev.smtpwatch.testserver.TestPki;
import dev.smtpwatch.testserver.TlsMode;
import java.io.File;
import java.io.IOException;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.net.Socket;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.Paths;
import java.time.Duration;
import java.time.ZonedDateTime;
import java.time.format.DateTimeFormatter;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Collections;
import java.util.EnumMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Random;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * The side-by-side benchmark ({@code bash bench/run.sh}): the same sample apps with no agent, an empty
 * {@code -javaagent}, smtpwatch and the OpenTelemetry Java agent, in interleaved rounds (one run of each variant
 * per round, so load on a shared machine hits all alike), for start-up, throughput, send latency with the
 * exporter down or slow, and footprint. Writes its tables between the {@code bench} markers of
 * docs/performance.md, medians with the range. {@code --smoke} runs each part once, small, without the
 * OpenTelemetry agent, and writes to target/ only: it keeps the benchmark working, it measures nothing.
 * {@code --part=<name>} measures one part alone (with more rounds, for a target a full run cannot resolve) and
 * writes it to target/ only.
 */
public final class BenchSuite {
    private static final String BEGIN = "<!-- bench:begin (written by bench/run.sh) -->";
    private static final String END = "<!-- bench:end -->";
    /**
     * Throughput runs warm up at least this long, and then until the JIT is done ({@code ThroughputApp}: it compiled
     * for less than 100 ms in the last 5 s), at most {@link #WARMUP_MAX_SECONDS}. The JIT compiles the library's code
     * for the first 10 to 20 s, and with an agent the agent's code too (smtpwatch: ~500 more compilations on the one
     * C2 thread, which make the library's own wait in its queue: its socket and MAIL/RCPT methods were compiled at
     * 20 s instead of 10 s in one run). Measured before, the ratio is the JIT's, not the agent's; the warm-up table
     * shows that time for what it is. The cap keeps a 3-round bench near an hour: against Postfix (150 messages/s)
     * the JIT never goes quiet, and a cap of 75 s made one round of one row take 10 minutes.
     */
    private static final int WARMUP_SECONDS = 20;
    private static final int WARMUP_MAX_SECONDS = 45;
    private static final int BATCHES = 8;
    /**
     * Before each batch of a latency row: longer than the agent's linger (10 ms) and the SDK's export delay set
     * here (50 ms), so the JVM before has gone quiet.
     */
    private static final long SETTLE_MILLIS = 250;
    /** The same orders in every run of the bench. */
    private static final long SHUFFLE_SEED = 18;

    private final ProjectFiles files;
    private final Path work;
    private final boolean smoke;
    private final int rounds;
    private final Path otelAgent;
    /** The one part to measure, or null for all of them. */
    private final String part;
    private final StringBuilder out = new StringBuilder();
    /** The launch and turn orders of the latency rows' rounds (see {@link #pacedRound}). */
    private final Random shuffle = new Random(SHUFFLE_SEED);

    private BenchSuite(ProjectFiles files, boolean smoke, int rounds, Path otelAgent, String part)
        throws IOException {
        this.files = files;
        this.work = files.workDir("bench-suite");
        this.smoke = smoke;
        this.rounds = rounds;
        this.otelAgent = otelAgent;
        this.part = part;
    }

    /**
     * Usage: {@code BenchSuite [--smoke] [--part=startup|throughput|exporter|footprint] [rounds]};
     * {@code -Dbench.otelAgent=<jar>} adds the OpenTelemetry agent.
     */
    public static void main(String[] args) throws Exception {
        boolean smoke = false;
        String part = null;
        int rounds = 9;
        for (String arg : args) {
            if (arg.equals("--smoke")) {
                smoke = true;
                rounds = 1;
            } else if (arg.startsWith("--part=") && PARTS.contains(arg.substring("--part=".length()))) {
                part = arg.substring("--part=".length());
            } else if (arg.matches("\\d+")) {
                rounds = Integer.parseInt(arg);
            } else {
                System.err.println("bench: unknown argument " + arg + "; usage: [--smoke] [--part="
                    + String.join("|", PARTS) + "] [rounds]");
                System.exit(2);
            }
        }
        String otel = System.getProperty("bench.otelAgent");
        BenchSuite suite = new BenchSuite(ProjectFiles.locate(), smoke, rounds,
            smoke || otel == null ? null : Paths.get(otel), part);
        suite.run();
    }

    private static final List<String> PARTS = Arrays.asList("startup", "throughput", "exporter", "footprint");

    private boolean measures(String name) {
        return part == null || part.equals(name);
    }

    private void run() throws Exception {
        String loadBefore = loadAverage();
        long[] cpuBefore = cpuTicks();
        ZonedDateTime started = ZonedDateTime.now(java.time.ZoneOffset.UTC);
        List<Section> sections = new ArrayList<>();
        if (measures("startup")) {
            sections.add(startUp());
        }
        if (measures("throughput")) {
            sections.add(throughput());
        }
        if (measures("exporter")) {
            sections.add(exporterDownOrSlow());
        }
        if (measures("footprint")) {
            sections.add(footprint());
        }
        out.append("Machine: ").append(machine()).append(". Run ")
            .append(started.format(DateTimeFormatter.ofPattern("yyyy-MM-dd HH:mm 'UTC'")))
            .append(", load average ").append(loadBefore).append(" at the start, ").append(loadAverage())
            .append(" at the end; ").append(stolenShare(cpuBefore, cpuTicks())).append(rounds)
            .append(" interleaved round(s)").append(part == null ? "" : ", the part '" + part + "' alone")
            .append("; median [min–max].\n\n");
        for (Section section : sections) {
            out.append(section.text);
        }
        Path target;
        if (part != null) {
            target = work.resolve("performance-" + part + ".md");
            Files.write(target, out.toString().getBytes(StandardCharsets.UTF_8));
        } else {
            out.append(perSession());
            target = smoke ? work.resolve("performance-smoke.md") : files.root().resolve("docs/performance.md");
            write(target);
        }
        System.out.println(out);
        System.out.println("written to " + target);
    }

    // ---------------------------------------------------------------- start-up

    private Section startUp() throws Exception {
        TestPki pki = TestPki.create(work.resolve("pki"));
        Series noMail = new Series();
        Series firstMail = new Series();
        Series exit = new Series();
        Series bootExit = new Series();
        List<String> noMailLaunch = Arrays.asList("-cp", demoJar().toString(), NoMailApp.class.getName());
        Path empty = StartupBenchmark.emptyAgentJar(work);
        try (ScriptedSmtpServer server = ScriptedSmtpServer.builder()
                 .tls(TlsMode.STARTTLS_REQUIRED, pki.serverContext(TestPki.Cert.LOCALHOST)).auth("bench", "bench")
                 .start()) {
            String[] mailProperties = StartupBenchmark.mailProperties(server.port(), pki);
            for (int round = smoke ? 0 : -1; round < rounds; round++) {
                boolean counted = round >= 0;
                for (Variant v : smoke ? variants(Variant.EMPTY, Variant.SMTPWATCH)
                    : variants(Variant.NONE, Variant.EMPTY, Variant.SMTPWATCH, Variant.OTEL)) {
                    SampleRun run = SampleRun.run(noMailLaunch, v.javaagent(this, empty));
                    noMail.add(v, counted, checked(run).reportedMillis);
                }
                for (Variant v : variants(Variant.NONE, Variant.SMTPWATCH, Variant.OTEL)) {
                    SampleRun run = checked(SampleRun.run(files.sampleApp("angus-mail"), v.javaagent(this, empty),
                        mailProperties));
                    firstMail.add(v, counted, run.reportedMillis);
                    exit.add(v, counted, run.totalMillis);
                }
                if (!smoke) {
                    for (Variant v : variants(Variant.NONE, Variant.SMTPWATCH, Variant.OTEL)) {
                        SampleRun run = checked(SampleRun.run(files.sampleApp("spring-boot-mail"),
                            v.javaagent(this, empty), mailProperties));
                        bootExit.add(v, counted, run.totalMillis);
                    }
                }
            }
        }
        StringBuilder s = new StringBuilder("### Start-up (ms)\n\n");
        if (otelAgent != null) {
            s.append("OpenTelemetry agent: ").append(System.getProperty("bench.otelAgentVersion", "")).append(
                ", default settings (its exporter finds no collector either).\n\n");
        }
        s.append("From starting the JVM to the app's line (its mail sent), or to its exit. Default configuration, ")
            .append("no collector listening; the mail apps send over STARTTLS with AUTH to a loopback server.\n\n");
        s.append("| app, measured to | no agent | empty `-javaagent` | smtpwatch | added by smtpwatch | ")
            .append("OpenTelemetry agent | added by it | smtpwatch's share |\n|---|---|---|---|---|---|---|---|\n");
        row(s, "no mail, to main's line (added: over the empty agent)", noMail, Variant.EMPTY);
        row(s, "one mail (Angus Mail), to the mail sent", firstMail, Variant.NONE);
        row(s, "one mail (Angus Mail), to the JVM's exit", exit, Variant.NONE);
        if (!smoke) {
            row(s, "Spring Boot, two mails, to the JVM's exit", bootExit, Variant.NONE);
        }
        return new Section(s.append('\n').toString());
    }

    private void row(StringBuilder s, String label, Series series, Variant base) {
        long baseline = series.median(base);
        s.append("| ").append(label).append(" | ").append(series.cell(Variant.NONE)).append(" | ")
            .append(series.cell(Variant.EMPTY)).append(" | ").append(series.cell(Variant.SMTPWATCH)).append(" | ");
        long ours = series.median(Variant.SMTPWATCH) - baseline;
        s.append("**+").append(ours).append("** | ").append(series.cell(Variant.OTEL)).append(" | ");
        if (series.has(Variant.OTEL)) {
            long theirs = series.median(Variant.OTEL) - baseline;
            s.append('+').append(theirs).append(" | ")
                .append(theirs > 0 ? String.format(Locale.ROOT, "1/%.0f", (double) theirs / Math.max(1, ours)) : "–");
        } else {
            s.append("– | –");
        }
        s.append(" |\n");
    }

    // ---------------------------------------------------------------- throughput

    private Section throughput() throws Exception {
        StringBuilder s = new StringBuilder("### Throughput (messages/s)\n\n");
        s.append("`ThroughputApp` (Angus Mail) after a warm-up of at least ").append(warmupSeconds())
            .append(" s and until the JIT is done (less than ").append(ThroughputApp.QUIET_JIT_MILLIS)
            .append(" ms of compiling in ").append(ThroughputApp.WARMUP_WINDOW_SECONDS).append(" s; at most ")
            .append(WARMUP_MAX_SECONDS).append(" s; see the warm-up table); smtpwatch with `report=` a file and ")
            .append("the default OpenTelemetry setting (no collector). ").append(throughputRuns())
            .append(" rounds; in each, the variants' JVMs run side by side, warmed up one after another, and then ")
            .append("take ").append(batches()).append(" turns of one batch of the count named each, in rotating ")
            .append("order. ")
            .append("A rate: median [range] of the batches. Ratio: to no agent, the median [quartiles] of the turns' ")
            .append("ratios (two adjacent batches, which a slow spell of the host hits alike). Noise floor: the same ")
            .append("ratio for a second JVM without an agent in the same round: two JVMs of one app differ in the ")
            .append("code their JIT made, for their whole life, and no number of turns removes that. CPU: µs per ")
            .append("message, of the ")
            .append("sending thread / of the whole JVM (the export thread, the JIT and the collector included). ")
            .append("Allocated: bytes per message, by the sending thread / by all threads.\n\n");
        s.append("| server, workload | no agent | smtpwatch | ratio | noise floor | OpenTelemetry agent | ratio ")
            .append("| CPU, no agent | CPU, smtpwatch | allocated, no agent | allocated, smtpwatch |\n")
            .append("|---|---|---|---|---|---|---|---|---|---|---|\n");
        Duration[] delays = smoke ? new Duration[] {Duration.ZERO}
            : new Duration[] {Duration.ZERO, Duration.ofMillis(1)};
        WarmupRates warmup = new WarmupRates();
        for (Duration delay : delays) {
            try (ScriptedSmtpServer server = ScriptedSmtpServer.builder().replyDelay(delay).forgetTranscripts()
                .start()) {
                String where = delay.isZero() ? "instant loopback server" : "1 ms reply latency";
                throughputRows(s, where, "127.0.0.1", server.port(), delay.isZero() ? warmup : null);
            }
        }
        String postfix = System.getProperty("bench.postfixRows");
        if (postfix != null && Files.isRegularFile(Paths.get(postfix))) {
            s.append(new String(Files.readAllBytes(Paths.get(postfix)), StandardCharsets.UTF_8));
        }
        return new Section(s.append('\n').append(warmup.table()).append('\n').toString());
    }

    /**
     * The throughput table's rows for a server that runs elsewhere: the real Postfix of the integration tests
     * ({@code PostfixThroughputBench}, run by bench/run.sh before this), whose rows the table then includes.
     */
    public static String throughputRows(String label, String host, int port, int rounds, Path otelAgent)
        throws Exception {
        BenchSuite suite = new BenchSuite(ProjectFiles.locate(), false, rounds, otelAgent, null);
        StringBuilder s = new StringBuilder();
        suite.throughputRows(s, label, host, port, null);
        return s.toString();
    }

    /** {@code warmup}: where the per-message row's rates during the warm-up go; null: not kept. */
    private void throughputRows(StringBuilder s, String where, String host, int port, WarmupRates warmup)
        throws Exception {
        // A batch of about a second or more against the scripted server, so that one pause of the host is not the
        // batch; with 1 ms per reply a message takes 5 ms over one connection and 10 ms with one each. Postfix
        // delivers every message to a mailbox file: with 5,000 a batch its rate fell to 142 messages/s (750 with
        // 1,000), as its delivery fell behind (in_flow_delay slows a client then), so it keeps the smaller counts.
        boolean slow = where.startsWith("1 ms");
        boolean delivers = where.startsWith("real Postfix");
        int oneConnection = smoke ? 50 : slow ? 200 : delivers ? 1000 : 5000;
        int perMessage = smoke ? 20 : slow ? 100 : delivers ? 200 : 1000;
        throughputRow(s, where + ", " + oneConnection + " over one connection", host, port, "one-connection",
            oneConnection, null);
        throughputRow(s, where + ", " + perMessage + " one connection each", host, port, "per-message",
            perMessage, warmup);
    }

    /** Measured batches per run in a paced round (see {@link #pacedRound}). */
    private int batches() {
        return smoke ? 1 : BATCHES;
    }

    private int warmupSeconds() {
        return smoke ? 0 : WARMUP_SECONDS;
    }

    /** Runs of each variant per throughput row (a ratio needs a few rounds to be more than one pair's luck). */
    private int throughputRuns() {
        return smoke ? 1 : Math.max(3, rounds / 2);
    }

    private void throughputRow(StringBuilder s, String label, String host, int port, String mode, int count,
                               WarmupRates warmupRates) throws Exception {
        Series rate = new Series();
        Series threadBytes = new Series();
        Series allBytes = new Series();
        Series threadCpu = new Series();
        Series allCpu = new Series();
        Path report = work.resolve("throughput-report.jsonl");
        for (int round = 0; round < throughputRuns(); round++) {
            Files.deleteIfExists(report);
            Map<Object, String[]> launches = new LinkedHashMap<>();
            for (Variant v : variants(Variant.NONE, Variant.NONE_AGAIN, Variant.SMTPWATCH, Variant.OTEL)) {
                launches.put(v, new String[] {v == Variant.SMTPWATCH
                    ? "-javaagent:" + files.agentJar() + "=report=" + report : v.javaagent(this, null),
                    "-Dmail.smtp.host=" + host, "-Dmail.smtp.port=" + port, "-Dbench.mode=" + mode,
                    "-Dbench.count=" + count});
            }
            for (Map.Entry<Object, SampleRun> e : pacedRound(launches, rate, new Series(), false).entrySet()) {
                Variant v = (Variant) e.getKey();
                SampleRun run = e.getValue();
                if (warmupRates != null) {
                    warmupRates.add(v, printedList(run, "warmupRates"), Math.round(printed(run, "warmupMillis")));
                }
                threadBytes.add(v, true, Math.round(printed(run, "sendingThreadBytesPerMessage")));
                allBytes.add(v, true, Math.round(printed(run, "allThreadsBytesPerMessage")));
                threadCpu.add(v, true, Math.round(printed(run, "sendingThreadCpuMicrosPerMessage")));
                allCpu.add(v, true, Math.round(printed(run, "processCpuMicrosPerMessage")));
            }
        }
        s.append("| ").append(label).append(" | ").append(rate.cell(Variant.NONE)).append(" | ")
            .append(rate.cell(Variant.SMTPWATCH)).append(" | **").append(rate.ratioQuartiles(Variant.SMTPWATCH,
                Variant.NONE).replace(" [", "** [")).append(" | ").append(rate.ratioQuartiles(Variant.NONE_AGAIN,
                Variant.NONE)).append(" | ")
            .append(rate.cell(Variant.OTEL)).append(" | ")
            .append(rate.has(Variant.OTEL) ? rate.ratio(Variant.OTEL, Variant.NONE) : "–").append(" | ")
            .append(threadCpu.median(Variant.NONE)).append(" / ").append(allCpu.median(Variant.NONE))
            .append(" | ").append(threadCpu.median(Variant.SMTPWATCH)).append(" / ")
            .append(allCpu.median(Variant.SMTPWATCH)).append(" | ")
            .append(threadBytes.median(Variant.NONE)).append(" / ").append(allBytes.median(Variant.NONE))
            .append(" | ").append(threadBytes.median(Variant.SMTPWATCH)).append(" / ")
            .append(allBytes.median(Variant.SMTPWATCH)).append(" |\n");
    }

    /**
     * One round of {@code ThroughputApp} runs side by side: each launch's JVM ({@code launches}: its
     * {@code -javaagent} option or null, then its properties) warmed up in turn while the others wait, then
     * {@link #batches()} turns of a batch each in rotating order, so that a ratio is of two adjacent batches, which
     * a slow spell of the host hits alike. Each batch's rate goes to {@code rates} and its send latency p99 to
     * {@code p99s}, under its launch's key, in turn order.
     *
     * <p>{@code settled}: for a tail latency, the JVMs launched in an order of their own in each round, each turn
     * in an order of its own and each batch after a pause. A batch's p99 is one of its few slowest sends, and what
     * the JVM before it leaves running (its export thread's last batch, the SDK's next export) lands on the first
     * sends; in the rotating order each JVM always follows the same one and carries that one's tail as its own.
     * And a JVM's tail depends on its place in the launch order: whichever setting was launched second had a p99
     * twice the others' in every round of one series, and swapping two settings' places moved the excess with the
     * place. The rates keep the fixed order without a pause, so that a ratio is of two batches back to back.
     *
     * @return each launch's finished run (its summary lines are over all its batches)
     */
    private Map<Object, SampleRun> pacedRound(Map<Object, String[]> launches, Series rates, Series p99s,
                                              boolean settled) throws Exception {
        List<Object> keys = new ArrayList<>(launches.keySet());
        if (settled) {
            Collections.shuffle(keys, shuffle);
        }
        Map<Object, SampleRun.Live> live = new LinkedHashMap<>();
        try {
            for (Object key : keys) {
                String[] launch = launches.get(key);
                List<String> properties = new ArrayList<>(Arrays.asList(launch).subList(1, launch.length));
                properties.addAll(Arrays.asList("-Dbench.warmupSeconds=" + warmupSeconds(),
                    "-Dbench.warmupMaxSeconds=" + (smoke ? 0 : WARMUP_MAX_SECONDS), "-Dbench.paced=true"));
                SampleRun.Live run = SampleRun.Live.start(throughputLaunch(), launch[0],
                    properties.toArray(new String[0]));
                live.put(key, run);
                run.await("bench: ready", 300);
            }
            for (int turn = 0; turn < batches(); turn++) {
                List<Object> order = new ArrayList<>(keys);
                if (settled) {
                    Collections.shuffle(order, shuffle);
                } else {
                    Collections.rotate(order, -turn);
                }
                for (Object key : order) {
                    if (settled) {
                        Thread.sleep(SETTLE_MILLIS);
                    }
                    live.get(key).send("batch");
                    String line = live.get(key).await("bench: batchRate=", 300);
                    rates.add(key, true, Math.round(batchValue(line, "batchRate")));
                    p99s.add(key, true, Math.round(batchValue(line, "batchP99Micros")));
                }
            }
            Map<Object, SampleRun> finished = new LinkedHashMap<>();
            for (Object key : keys) {
                finished.put(key, checked(live.get(key).finish(120)));
            }
            return finished;
        } finally {
            live.values().forEach(SampleRun.Live::kill);
        }
    }

    /** {@code name}'s value in a {@code bench: batchRate=… batchP99Micros=…} line. */
    private static double batchValue(String line, String name) {
        int start = line.indexOf(name + "=") + name.length() + 1;
        int end = line.indexOf(' ', start);
        return Double.parseDouble(line.substring(start, end < 0 ? line.length() : end));
    }

    // ---------------------------------------------------------------- exporter down or slow

    private Section exporterDownOrSlow() throws Exception {
        // a p99 needs many sends to be more than the few slowest, and the JIT's steady state to be the agent's
        int sends = smoke ? 20 : 4000;
        int runs = smoke ? 1 : Math.max(3, rounds / 2);
        Series p50 = new Series();
        Series p99 = new Series();
        Series batchP99 = new Series();
        String off = "`otel=off`";
        String[] labels = {off, "`otel=off`, a second JVM (noise floor)", "collector down (connection refused)",
            "collector slow (accepts, never answers)"};
        int[] measured = smoke ? new int[] {0, 2} : new int[] {0, 1, 2, 3};
        try (ScriptedSmtpServer server = ScriptedSmtpServer.builder().forgetTranscripts().start();
             ServerSocket slow = new ServerSocket(0, 50, InetAddress.getLoopbackAddress())) {
            Thread acceptor = new Thread(() -> silentlyAccept(slow), "bench-slow-collector");
            acceptor.setDaemon(true);
            acceptor.start();
            String refused = "http://127.0.0.1:" + freePort();
            String[] endpoints = {null, null, refused, "http://127.0.0.1:" + slow.getLocalPort()};
            for (int round = 0; round < runs; round++) {
                Map<Object, String[]> launches = new LinkedHashMap<>();
                for (int i : measured) {
                    launches.put(labels[i], new String[] {
                        "-javaagent:" + files.agentJar() + (endpoints[i] == null ? "=otel=off" : ""),
                        "-Dotel.exporter.otlp.endpoint=" + (endpoints[i] == null ? refused : endpoints[i]),
                        "-Dotel.bsp.schedule.delay=50", "-Dmail.smtp.host=127.0.0.1",
                        "-Dmail.smtp.port=" + server.port(), "-Dbench.mode=per-message",
                        "-Dbench.count=" + sends / batches()});
                }
                Map<Object, SampleRun> finished = pacedRound(launches, new Series(), batchP99, true);
                for (Map.Entry<Object, SampleRun> e : finished.entrySet()) {
                    p50.add(e.getKey(), true, Math.round(printed(e.getValue(), "latencyP50Micros")));
                    p99.add(e.getKey(), true, Math.round(printed(e.getValue(), "latencyP99Micros")));
                }
            }
        }
        StringBuilder s = new StringBuilder("### Exporter down or slow: send latency (µs)\n\n");
        s.append(sends).append(" mails, one connection each, to an instant loopback server, after a warm-up of ")
            .append(warmupSeconds()).append(" s or more (as above), in ").append(batches())
            .append(" batches taking turns with the other settings' runs side by side (as above, but launched in an ")
            .append("order of their own in each round, each turn in an order of its own and each batch ")
            .append(SETTLE_MILLIS).append(" ms after the one before: a JVM's tail depends on its place in the ")
            .append("launch order and carries what the JVM before it left running); the span of each goes to the ")
            .append("embedded SDK, batched every 50 ms. p50 and p99: of each run's sends, median [range] of ")
            .append(runs).append(" rounds. Against `otel=off`: the median of the rounds' p99 ratios; per turn: the ")
            .append("median [quartiles] of the ratios of a batch's p99 to the p99 of `otel=off`'s batch in the same ")
            .append("turn (a batch's p99 is its ").append(slowest(sends / batches())).append(" send). The second ")
            .append("`otel=off` JVM shows how far two runs of the same setting differ.\n\n")
            .append("| OpenTelemetry | p50 | p99 | p99 against `otel=off` | per turn |\n|---|---|---|---|---|\n");
        for (int i : measured) {
            s.append("| ").append(labels[i]).append(" | ").append(p50.cell(labels[i])).append(" | ")
                .append(p99.cell(labels[i])).append(" | ").append(i == 0 ? "–" : p99.ratio(labels[i], off))
                .append(" | ").append(i == 0 ? "–" : batchP99.ratioQuartiles(labels[i], off)).append(" |\n");
        }
        return new Section(s.append('\n').toString());
    }

    /** Which of {@code n} sorted sends ThroughputApp's p99 is, counted from the slowest: "5th slowest" of 500. */
    private static String slowest(int n) {
        int k = n - Math.min(n - 1, (int) (n * 0.99));
        return k == 1 ? "slowest" : k + (k == 2 ? "nd" : k == 3 ? "rd" : "th") + " slowest";
    }

    private static void silentlyAccept(ServerSocket socket) {
        List<Socket> held = new ArrayList<>();
        try {
            while (true) {
                held.add(socket.accept());
            }
        } catch (IOException closed) {
            // the benchmark is over
        }
    }

    // ---------------------------------------------------------------- footprint

    private Section footprint() throws Exception {
        int sessions = smoke ? 100 : 100_000;
        StringBuilder s = new StringBuilder("### Footprint\n\n");
        s.append("Agent jar: ").append(Files.size(files.agentJar()) / 1024).append(" KiB.\n\n");
        Path report = work.resolve("footprint-report.jsonl");
        Files.deleteIfExists(report);
        Map<Variant, SampleRun> runs = new LinkedHashMap<>();
        try (ScriptedSmtpServer server = ScriptedSmtpServer.builder().forgetTranscripts().start()) {
            for (Variant v : new Variant[] {Variant.NONE, Variant.SMTPWATCH}) {
                runs.put(v, checked(SampleRun.run(throughputLaunch(), v == Variant.SMTPWATCH
                        ? "-javaagent:" + files.agentJar() + "=report=" + report : null, 1800,
                    "-Dotel.exporter.otlp.endpoint=http://127.0.0.1:" + freePort(),
                    "-Dmail.smtp.host=127.0.0.1", "-Dmail.smtp.port=" + server.port(),
                    "-Dbench.mode=connect-only", "-Dbench.count=" + sessions)));
            }
        }
        s.append("Heap in use after full GCs (KiB) while the app opens and closes ").append(sessions)
            .append(" connections; smtpwatch with a report file and OpenTelemetry on, its collector down ")
            .append("(connection refused):\n\n| sessions | no agent | smtpwatch |\n|---|---|---|\n");
        Matcher m = Pattern.compile("bench: heapAfter(\\d+)=(\\d+)").matcher(runs.get(Variant.NONE).stdout);
        Matcher ours = Pattern.compile("bench: heapAfter(\\d+)=(\\d+)").matcher(runs.get(Variant.SMTPWATCH).stdout);
        while (m.find() && ours.find()) {
            s.append("| ").append(m.group(1)).append(" | ").append(Long.parseLong(m.group(2)) / 1024).append(" | ")
                .append(Long.parseLong(ours.group(2)) / 1024).append(" |\n");
        }
        s.append("\nReport lines written: ").append(Files.lines(report).count()).append(".\n\n");
        return new Section(s.toString());
    }

    // ---------------------------------------------------------------- per session (JMH, run before by bench/run.sh)

    private static String perSession() throws IOException {
        String results = System.getProperty("bench.jmh");
        if (results == null || !Files.isRegularFile(Paths.get(results))) {
            return "";
        }
        StringBuilder s = new StringBuilder("### Per-session cost (JMH)\n\n");
        s.append("`SessionPipelineBenchmark` (bench/jmh): a STARTTLS + AUTH session with one message, recorded ")
            .append("(the app thread's share), judged by every rule, written to the report; `gc.alloc.rate.norm` ")
            .append("is bytes allocated per session.\n\n```\n");
        for (String line : Files.readAllLines(Paths.get(results))) {
            if (!line.contains("·gc.") || line.contains("gc.alloc.rate.norm")) {
                s.append(line).append('\n');
            }
        }
        return s.append("```\n\n").toString();
    }

    // ---------------------------------------------------------------- helpers

    /** The variants in this round's order, rotated per call so that none always runs first. */
    private List<Variant> variants(Variant... wanted) {
        List<Variant> list = new ArrayList<>();
        for (Variant v : wanted) {
            if (v != Variant.OTEL || otelAgent != null) {
                list.add(v);
            }
        }
        Collections.rotate(list, rotation++);
        return list;
    }

    private int rotation;

    private List<String> throughputLaunch() throws IOException {
        return Arrays.asList("-cp", demoJar() + File.pathSeparator + files.sampleApp("angus-mail"),
            ThroughputApp.class.getName());
    }

    private Path demoJar() throws IOException {
        return files.sampleApp("demo");
    }

    private static SampleRun checked(SampleRun run) {
        if (run.exitCode != 0) {
            throw new IllegalStateException("app failed (exit " + run.exitCode + "): " + run.stdout + run.stderr);
        }
        return run;
    }

    private static double printed(SampleRun run, String key) {
        return Double.parseDouble(printedText(run, key, "[0-9.]+"));
    }

    /** A printed comma list of numbers ({@code bench: warmupRates=812,1304,...}); empty when the line is empty. */
    private static long[] printedList(SampleRun run, String key) {
        String list = printedText(run, key, "[0-9,]*");
        return list.isEmpty() ? new long[0] : Arrays.stream(list.split(",")).mapToLong(Long::parseLong).toArray();
    }

    /** The value of the app's {@code bench: key=value} line, matching {@code valuePattern}. */
    private static String printedText(SampleRun run, String key, String valuePattern) {
        Matcher m = Pattern.compile("bench: " + key + "=(" + valuePattern + ")").matcher(run.stdout);
        if (!m.find()) {
            throw new IllegalStateException("no " + key + " in: " + run.stdout + run.stderr);
        }
        return m.group(1);
    }

    private static int freePort() throws IOException {
        try (ServerSocket socket = new ServerSocket(0)) {
            return socket.getLocalPort();
        }
    }

    private static String loadAverage() {
        try {
            String[] parts = new String(Files.readAllBytes(Paths.get("/proc/loadavg")), StandardCharsets.US_ASCII)
                .split(" ");
            return parts[0] + " " + parts[1] + " " + parts[2];
        } catch (IOException e) {
            return "unknown";
        }
    }

    /** The machine's CPU time so far, all of it and what the hypervisor gave to others (steal), or null. */
    private static long[] cpuTicks() {
        try {
            String[] fields = Files.readAllLines(Paths.get("/proc/stat")).get(0).trim().split("\\s+");
            long total = 0;
            for (int i = 1; i < fields.length && i <= 8; i++) {
                total += Long.parseLong(fields[i]);
            }
            return new long[] {total, fields.length > 8 ? Long.parseLong(fields[8]) : 0};
        } catch (IOException | RuntimeException e) {
            return null;
        }
    }

    /**
     * The share of the run's CPU time stolen by the hypervisor: on a shared VM it reaches tens of percent at times,
     * and figures taken then are slower in every variant, unevenly.
     */
    private static String stolenShare(long[] before, long[] after) {
        if (before == null || after == null || after[0] <= before[0]) {
            return "";
        }
        return String.format(Locale.ROOT, "CPU steal %.1f %% of the run; ",
            100.0 * (after[1] - before[1]) / (after[0] - before[0]));
    }

    private static String machine() {
        String cpu = "unknown CPU";
        try {
            for (String line : Files.readAllLines(Paths.get("/proc/cpuinfo"))) {
                if (line.startsWith("model name")) {
                    cpu = line.substring(line.indexOf(':') + 1).trim();
                    break;
                }
            }
        } catch (IOException e) {
            // not Linux: the CPU stays unnamed
        }
        long memory = ((com.sun.management.OperatingSystemMXBean) java.lang.management.ManagementFactory
            .getOperatingSystemMXBean()).getTotalPhysicalMemorySize();
        return String.format(Locale.ROOT, "%s, nproc %d, %d GiB, %s %s, JDK %s (%s)", cpu,
            Runtime.getRuntime().availableProcessors(), memory >> 30, System.getProperty("os.name"),
            System.getProperty("os.version"), System.getProperty("java.version"), System.getProperty("java.vm.name"));
    }

    private void write(Path target) throws IOException {
        String generated = BEGIN + "\n\n" + out + END;
        String doc = Files.exists(target) ? new String(Files.readAllBytes(target), StandardCharsets.UTF_8) : "";
        int begin = doc.indexOf(BEGIN);
        int end = doc.indexOf(END);
        String updated = begin >= 0 && end > begin
            ? doc.substring(0, begin) + generated + doc.substring(end + END.length())
            : doc + (doc.isEmpty() ? "" : "\n") + generated + "\n";
        Files.write(target, updated.getBytes(StandardCharsets.UTF_8));
    }

    private static final class Section {
        final String text;

        Section(String text) {
            this.text = text;
        }
    }

    /** What is attached to the app. */
    private enum Variant {
        /** {@code NONE_AGAIN}: a second JVM without an agent beside the first, whose ratio is the noise floor. */
        NONE, NONE_AGAIN, EMPTY, SMTPWATCH, OTEL;

        String label() {
            switch (this) {
                case EMPTY:
                    return "empty `-javaagent`";
                case SMTPWATCH:
                    return "smtpwatch";
                case OTEL:
                    return "OpenTelemetry agent";
                case NONE_AGAIN:
                    return "no agent, a second JVM";
                default:
                    return "no agent";
            }
        }

        String javaagent(BenchSuite suite, Path emptyAgent) throws IOException {
            switch (this) {
                case EMPTY:
                    return "-javaagent:" + emptyAgent;
                case SMTPWATCH:
                    return "-javaagent:" + suite.files.agentJar();
                case OTEL:
                    return "-javaagent:" + suite.otelAgent;
                default:
                    return null;
            }
        }
    }

    /** The rate in each window of the warm-up, per variant: a column per window, the median of the runs. */
    private static final class WarmupRates {
        private final Map<Variant, List<long[]>> runs = new EnumMap<>(Variant.class);
        private final Series millis = new Series();

        void add(Variant v, long[] rates, long warmupMillis) {
            runs.computeIfAbsent(v, k -> new ArrayList<>()).add(rates);
            millis.add(v, true, warmupMillis);
        }

        String table() {
            int windows = 0;
            for (List<long[]> list : runs.values()) {
                for (long[] rates : list) {
                    windows = Math.max(windows, rates.length);
                }
            }
            if (windows == 0) {
                return "";
            }
            StringBuilder s = new StringBuilder(
                "#### The warm-up: instant server, one connection each (messages/s)\n\n")
                .append("The rate in each ").append(ThroughputApp.WARMUP_WINDOW_SECONDS)
                .append(" s of the warm-up (median of the runs; – once one of them had ended its warm-up), while the")
                .append(" JIT compiles the library's code and an agent's. This is why the rates above are measured")
                .append(" after it; the last column: when it ended, in seconds.\n\n| variant |");
            int window = ThroughputApp.WARMUP_WINDOW_SECONDS;
            for (int w = 0; w < windows; w++) {
                s.append(' ').append(w * window).append('–').append((w + 1) * window).append(" s |");
            }
            s.append(" warm-up ended |\n|---|");
            for (int w = 0; w <= windows; w++) {
                s.append("---|");
            }
            for (Map.Entry<Variant, List<long[]>> e : runs.entrySet()) {
                s.append("\n| ").append(e.getKey().label()).append(" |");
                for (int w = 0; w < windows; w++) {
                    // only windows every run reached: past that the median is of the runs that warmed up longest
                    List<Long> column = new ArrayList<>();
                    for (long[] rates : e.getValue()) {
                        if (w < rates.length) {
                            column.add(rates[w]);
                        }
                    }
                    Collections.sort(column);
                    s.append(' ').append(column.size() < e.getValue().size() ? "–"
                        : String.valueOf(column.get(column.size() / 2))).append(" |");
                }
                s.append(String.format(Locale.ROOT, " %.0f |", millis.median(e.getKey()) / 1000.0));
            }
            return s.append("\n").toString();
        }
    }

    /** Values per variant (or any other key); only those of counted rounds are kept (the first warms the disk cache). */
    private static final class Series {
        private final Map<Object, List<Long>> values = new LinkedHashMap<>();

        void add(Object v, boolean counted, long value) {
            if (counted) {
                values.computeIfAbsent(v, k -> new ArrayList<>()).add(value);
            }
        }

        boolean has(Object v) {
            return values.containsKey(v);
        }

        long median(Object v) {
            List<Long> sorted = new ArrayList<>(values.getOrDefault(v, Collections.singletonList(0L)));
            Collections.sort(sorted);
            return sorted.get(sorted.size() / 2);
        }

        String cell(Object v) {
            if (!has(v)) {
                return "–";
            }
            List<Long> list = values.get(v);
            return median(v) + (list.size() > 1 ? " [" + Collections.min(list) + "–" + Collections.max(list) + "]"
                : "");
        }

        /**
         * The median of the rounds' ratios: the runs of a round are adjacent, so a slow minute of the host hits both
         * sides of each ratio, where it would skew one median of the two.
         */
        String ratio(Object v, Object base) {
            List<Double> ratios = ratios(v, base);
            return String.format(Locale.ROOT, "%.3f", ratios.get(ratios.size() / 2));
        }

        /** The same median, with the quartiles of the ratios in brackets. */
        String ratioQuartiles(Object v, Object base) {
            List<Double> ratios = ratios(v, base);
            int n = ratios.size();
            return String.format(Locale.ROOT, "%.3f [%.3f–%.3f]", ratios.get(n / 2), ratios.get(n / 4),
                ratios.get(Math.min(n - 1, 3 * n / 4)));
        }

        /** Each value's ratio to the base's value added at the same place in their order, sorted. */
        private List<Double> ratios(Object v, Object base) {
            List<Long> values = this.values.get(v);
            List<Long> bases = this.values.get(base);
            List<Double> ratios = new ArrayList<>();
            for (int i = 0; i < Math.min(values.size(), bases.size()); i++) {
                ratios.add((double) values.get(i) / Math.max(1, bases.get(i)));
            }
            Collections.sort(ratios);
            return ratios;
        }
    }
}
