package dev.smtpwatch.demo;

import jakarta.mail.Message;
import jakarta.mail.MessagingException;
import jakarta.mail.Session;
import jakarta.mail.Transport;
import jakarta.mail.internet.InternetAddress;
import jakarta.mail.internet.MimeMessage;
import java.io.BufferedReader;
import java.io.InputStreamReader;
import java.lang.management.CompilationMXBean;
import java.lang.management.ManagementFactory;
import java.lang.management.ThreadMXBean;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Collections;
import java.util.List;
import java.util.Locale;
import java.util.Properties;
import java.util.concurrent.TimeUnit;

/**
 * The benchmark's sending app (Angus Mail; class path: this jar and sample-apps/angus-mail's): after a warm-up
 * ({@code bench.warmup} messages, repeated for at least {@code bench.warmupSeconds} and then until the JIT is done:
 * it compiled for less than {@value #QUIET_JIT_MILLIS} ms in the last 5 s; at most {@code bench.warmupMaxSeconds}),
 * sends {@code bench.count}
 * messages, either over one connection ({@code bench.mode=one-connection}) or one connection each
 * ({@code per-message}), or opens and closes {@code bench.count} connections without mail ({@code connect-only},
 * printing the heap retained after a full GC every tenth of the way). It sends one such batch, or with
 * {@code bench.paced=true} prints {@code bench: ready} after the warm-up and then sends one batch per line read from
 * stdin, printing each batch's rate and send latency p99, until stdin ends. Prints {@code bench: key=value} lines:
 * messages per second, the rate in each 5 s of the warm-up and its length, send latency percentiles, and per
 * message the bytes allocated and the CPU time used by the sending thread and by all threads (the agent's export
 * thread and the JIT compiler included).
 */
public final class ThroughputApp {
    /** The warm-up's rate is printed per window of this many seconds. */
    static final int WARMUP_WINDOW_SECONDS = 5;
    private static final long WARMUP_WINDOW_NANOS = TimeUnit.SECONDS.toNanos(WARMUP_WINDOW_SECONDS);
    /** Compilation time within one warm-up window below which the JIT counts as done (2 % of one core). */
    static final long QUIET_JIT_MILLIS = 100;

    private ThroughputApp() {
    }

    public static void main(String[] args) throws Exception {
        String mode = System.getProperty("bench.mode", "one-connection");
        int count = Integer.getInteger("bench.count", 1000);
        int warmup = Integer.getInteger("bench.warmup", 50);
        long warmupNanos = TimeUnit.SECONDS.toNanos(Integer.getInteger("bench.warmupSeconds", 0));
        long warmupMaxNanos = Math.max(warmupNanos,
            TimeUnit.SECONDS.toNanos(Integer.getInteger("bench.warmupMaxSeconds", 0)));
        Properties mail = new Properties();
        for (String name : System.getProperties().stringPropertyNames()) {
            if (name.startsWith("mail.")) {
                mail.setProperty(name, System.getProperty(name));
            }
        }
        Session session = Session.getInstance(mail);
        MimeMessage message = new MimeMessage(session);
        message.setFrom(new InternetAddress("sender@example.com"));
        message.addRecipient(Message.RecipientType.TO, new InternetAddress("recipient@example.org"));
        message.setSubject("benchmark");
        message.setText("one short line of text\n");
        message.saveChanges();

        if (mode.equals("connect-only")) {
            connectOnly(session, count);
            return;
        }
        boolean oneConnection = mode.equals("one-connection");
        // The JIT compiles the library's code (and an agent's) for many seconds, an agent's making the library's wait
        // in the compile queue: measure its steady state, not how long each took to get there. The rate of each 5 s
        // of the warm-up is printed, to show that time.
        CompilationMXBean jit = ManagementFactory.getCompilationMXBean();
        boolean jitTimed = jit != null && jit.isCompilationTimeMonitoringSupported();
        int warmedUp = 0;
        StringBuilder windowRates = new StringBuilder();
        long warmupStart = System.nanoTime();
        long windowStart = warmupStart;
        long windowJitMillis = jitTimed ? jit.getTotalCompilationTime() : 0;
        int windowSent = 0;
        boolean jitQuiet = !jitTimed;
        for (long elapsed = 0; warmedUp < warmup || elapsed < warmupNanos || !jitQuiet && elapsed < warmupMaxNanos;
             elapsed = System.nanoTime() - warmupStart) {
            send(session, message, warmup, oneConnection, new long[warmup]);
            warmedUp += warmup;
            windowSent += warmup;
            long now = System.nanoTime();
            if (now - windowStart >= WARMUP_WINDOW_NANOS) {
                windowRates.append(windowRates.length() == 0 ? "" : ",")
                    .append(Math.round(windowSent / ((now - windowStart) / 1e9)));
                long jitMillis = jitTimed ? jit.getTotalCompilationTime() : 0;
                jitQuiet = !jitTimed || jitMillis - windowJitMillis < QUIET_JIT_MILLIS;
                windowJitMillis = jitMillis;
                windowStart = now;
                windowSent = 0;
            }
        }
        long warmupMillis = TimeUnit.NANOSECONDS.toMillis(System.nanoTime() - warmupStart);
        // paced: the bench runs each variant's JVM side by side and gives them turns, a batch each, so that adjacent
        // batches of two variants meet the same load of the host
        BufferedReader turns = Boolean.getBoolean("bench.paced")
            ? new BufferedReader(new InputStreamReader(System.in, StandardCharsets.UTF_8)) : null;
        if (turns != null) {
            System.out.println("bench: ready");
            System.out.flush();
        }
        ThreadMXBean threads = ManagementFactory.getThreadMXBean();
        List<long[]> batchLatencies = new ArrayList<>();
        List<Double> rates = new ArrayList<>();
        long threadBytes = threadAllocated(threads, Thread.currentThread().getId());
        long allBytes = allAllocated(threads);
        long threadCpu = threads.getCurrentThreadCpuTime();
        long processCpu = processCpuTime();
        while (turns != null ? turns.readLine() != null : rates.isEmpty()) {
            long[] latencies = new long[count];
            long start = System.nanoTime();
            send(session, message, count, oneConnection, latencies);
            double rate = count / ((System.nanoTime() - start) / 1e9);
            rates.add(rate);
            batchLatencies.add(latencies);
            if (turns != null) {
                long[] sorted = latencies.clone();
                Arrays.sort(sorted);
                System.out.printf(Locale.ROOT, "bench: batchRate=%.1f batchP99Micros=%d%n", rate,
                    percentile(sorted, 0.99) / 1000);
                System.out.flush();
            }
        }
        int batches = rates.size();
        if (batches == 0) {
            System.out.println("sample app: sent " + warmedUp + " message(s), no batch measured");
            return;
        }
        int sent = count * batches;
        long threadBytesPerMessage = (threadAllocated(threads, Thread.currentThread().getId()) - threadBytes) / sent;
        long allBytesPerMessage = (allAllocated(threads) - allBytes) / sent;
        long threadCpuPerMessage = (threads.getCurrentThreadCpuTime() - threadCpu) / sent;
        long processCpuPerMessage = (processCpuTime() - processCpu) / sent;
        long[] latencies = new long[sent];
        for (int b = 0; b < batches; b++) {
            System.arraycopy(batchLatencies.get(b), 0, latencies, b * count, count);
        }
        Arrays.sort(latencies);
        Collections.sort(rates);
        System.out.printf(Locale.ROOT, "bench: messagesPerSecond=%.1f%n", rates.get(batches / 2));
        System.out.println("bench: warmupRates=" + windowRates);
        System.out.println("bench: warmupMillis=" + warmupMillis);
        System.out.printf(Locale.ROOT, "bench: latencyP50Micros=%d%n", percentile(latencies, 0.5) / 1000);
        System.out.printf(Locale.ROOT, "bench: latencyP99Micros=%d%n", percentile(latencies, 0.99) / 1000);
        System.out.printf(Locale.ROOT, "bench: sendingThreadBytesPerMessage=%d%n", threadBytesPerMessage);
        System.out.printf(Locale.ROOT, "bench: allThreadsBytesPerMessage=%d%n", allBytesPerMessage);
        System.out.printf(Locale.ROOT, "bench: sendingThreadCpuMicrosPerMessage=%.1f%n", threadCpuPerMessage / 1e3);
        System.out.printf(Locale.ROOT, "bench: processCpuMicrosPerMessage=%.1f%n", processCpuPerMessage / 1e3);
        System.out.println("sample app: sent " + (warmedUp + sent) + " message(s)");
    }

    private static long percentile(long[] sorted, double fraction) {
        return sorted[Math.min(sorted.length - 1, (int) (sorted.length * fraction))];
    }

    /** Each message's send time (and, one connection each, its connect and close) goes into {@code latencies}. */
    private static void send(Session session, MimeMessage message, int count, boolean oneConnection,
                             long[] latencies) throws MessagingException {
        Transport shared = null;
        if (oneConnection) {
            shared = session.getTransport("smtp");
            shared.connect();
        }
        for (int i = 0; i < count; i++) {
            long start = System.nanoTime();
            if (oneConnection) {
                shared.sendMessage(message, message.getAllRecipients());
            } else {
                try (Transport transport = session.getTransport("smtp")) {
                    transport.connect();
                    transport.sendMessage(message, message.getAllRecipients());
                }
            }
            latencies[i] = System.nanoTime() - start;
        }
        if (shared != null) {
            shared.close();
        }
    }

    private static void connectOnly(Session session, int count) throws Exception {
        int step = Math.max(1, count / 10);
        System.out.printf(Locale.ROOT, "bench: heapAfter0=%d%n", retainedHeap());
        for (int i = 1; i <= count; i++) {
            try (Transport transport = session.getTransport("smtp")) {
                transport.connect();
            }
            if (i % step == 0) {
                System.out.printf(Locale.ROOT, "bench: heapAfter%d=%d%n", i, retainedHeap());
            }
        }
        System.out.println("sample app: opened " + count + " connection(s)");
    }

    /** The heap in use after full collections (the export queue given a moment to drain first). */
    private static long retainedHeap() throws InterruptedException {
        Thread.sleep(200);
        for (int i = 0; i < 3; i++) {
            System.gc();
        }
        return ManagementFactory.getMemoryMXBean().getHeapMemoryUsage().getUsed();
    }

    /** CPU time of every thread, the JIT compilers' and the collector's included. */
    private static long processCpuTime() {
        return ((com.sun.management.OperatingSystemMXBean) ManagementFactory.getOperatingSystemMXBean())
            .getProcessCpuTime();
    }

    private static long threadAllocated(ThreadMXBean threads, long id) {
        return ((com.sun.management.ThreadMXBean) threads).getThreadAllocatedBytes(id);
    }

    private static long allAllocated(ThreadMXBean threads) {
        long total = 0;
        for (long bytes : ((com.sun.management.ThreadMXBean) threads).getThreadAllocatedBytes(threads.getAllThreadIds())) {
            total += Math.max(0, bytes);
        }
        return total;
    }
}
