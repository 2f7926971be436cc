package dev.smtpwatch.it.cli;

import dev.smtpwatch.it.postfix.PostfixServer;
import java.io.BufferedReader;
import java.io.File;
import java.io.IOException;
import java.io.InputStreamReader;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.net.Socket;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.Assumptions;

/**
 * Debian's Chromium, headless, as a reader of the html command's page: {@code --dump-dom} gives the DOM after the
 * page's script ran, {@code --screenshot} a PNG. Every request goes to a proxy on loopback that records its first
 * line and answers nothing, so a test sees what was asked for. Chromium itself calls home (component updates,
 * accounts) even with every background flag set; those requests go to {@link #BROWSER_SERVICES} and are told
 * apart from the page's. Missing Chromium skips the test, or fails it when {@code SMTPWATCH_REQUIRE_POSTFIX=1}
 * (CI, where .ci/run installs it).
 */
final class HeadlessChromium implements AutoCloseable {
    private static final List<String> NAMES = List.of("chromium", "chromium-browser", "google-chrome");
    /** Domains of Chromium's own services, which it calls whatever page it shows. */
    private static final List<String> BROWSER_SERVICES =
        List.of("google.com", "googleapis.com", "gvt1.com", "gstatic.com");
    /** How long the proxy must have seen no connection before the requests so far are taken as all there are. */
    private static final long QUIET_MILLIS = 500;
    private static final long SETTLE_TIMEOUT_MILLIS = 15_000;
    private static final Pattern REQUEST_HOST =
        Pattern.compile("^(?:CONNECT ([^:/ ]+)|[A-Z]+ [a-z]+://([^:/ ]+))");

    private final Path executable;
    private final Path workDir;
    private final ServerSocket proxy;
    private final List<String> requests = new CopyOnWriteArrayList<>();
    /** Connections accepted and not yet read to their first line (or end). */
    private final AtomicInteger reading = new AtomicInteger();
    private volatile long lastAccepted = System.nanoTime();
    private int runs;

    private HeadlessChromium(Path executable, Path workDir) throws IOException {
        this.executable = executable;
        this.workDir = workDir;
        this.proxy = new ServerSocket(0, 50, InetAddress.getLoopbackAddress());
        Thread accept = new Thread(this::recordRequests, "chromium-proxy");
        accept.setDaemon(true);
        accept.start();
    }

    /** Chromium from the PATH, or the test is skipped (failed under {@code SMTPWATCH_REQUIRE_POSTFIX=1}). */
    static HeadlessChromium require(Path workDir) throws IOException {
        Path found = null;
        for (String dir : System.getenv().getOrDefault("PATH", "").split(File.pathSeparator)) {
            for (String name : NAMES) {
                Path candidate = Path.of(dir, name);
                if (found == null && Files.isExecutable(candidate)) {
                    found = candidate;
                }
            }
        }
        if (found == null) {
            String reason = "no Chromium on the PATH (" + NAMES + "; apt-get install chromium)";
            if (PostfixServer.required()) {
                throw new AssertionError(PostfixServer.REQUIRE_ENV + " is set but there is " + reason);
            }
            Assumptions.assumeTrue(false, reason);
        }
        return new HeadlessChromium(found, Files.createDirectories(workDir));
    }

    /** The DOM of {@code page} after its scripts ran. */
    String dumpDom(Path page) throws IOException, InterruptedException {
        return run(page, "--dump-dom");
    }

    /** {@code page} printed to a PDF, as the browser's print dialog would. */
    void printToPdf(Path page, Path pdf) throws IOException, InterruptedException {
        run(page, "--print-to-pdf=" + pdf.toAbsolutePath(), "--no-pdf-header-footer");
        if (!Files.isRegularFile(pdf) || Files.size(pdf) == 0) {
            throw new AssertionError("Chromium printed no PDF to " + pdf);
        }
    }

    /** A PNG of the top {@code width} x {@code height} pixels of {@code page}. */
    void screenshot(Path page, Path png, int width, int height) throws IOException, InterruptedException {
        run(page, "--screenshot=" + png.toAbsolutePath(), "--window-size=" + width + "," + height,
            "--hide-scrollbars");
        if (!Files.isRegularFile(png) || Files.size(png) == 0) {
            throw new AssertionError("Chromium wrote no screenshot to " + png);
        }
    }

    /**
     * The first line of every request made so far that is not to one of Chromium's own services. Waits until the
     * proxy has read every connection it accepted and then saw none for a while: Chromium opens spare connections
     * that carry no request, and a request can still be unread when the browser has exited.
     */
    List<String> requestsByPages() throws InterruptedException {
        long deadline = System.nanoTime() + TimeUnit.MILLISECONDS.toNanos(SETTLE_TIMEOUT_MILLIS);
        while ((reading.get() > 0 || System.nanoTime() - lastAccepted < TimeUnit.MILLISECONDS.toNanos(QUIET_MILLIS))
            && System.nanoTime() < deadline) {
            Thread.sleep(50);
        }
        if (reading.get() > 0) {
            throw new AssertionError("the proxy still reads " + reading.get() + " connection(s) after "
                + SETTLE_TIMEOUT_MILLIS + " ms");
        }
        List<String> byPages = new ArrayList<>();
        for (String request : requests) {
            Matcher host = REQUEST_HOST.matcher(request);
            String name = host.find() ? (host.group(1) != null ? host.group(1) : host.group(2)) : "";
            if (BROWSER_SERVICES.stream().noneMatch(service -> name.equals(service) || name.endsWith("." + service))) {
                byPages.add(request);
            }
        }
        return byPages;
    }

    private String run(Path page, String... action) throws IOException, InterruptedException {
        int run = ++runs;
        List<String> command = new ArrayList<>(List.of(executable.toString(), "--headless", "--no-sandbox",
            "--disable-gpu", "--disable-quic", "--no-first-run", "--disable-background-networking",
            "--disable-component-update", "--disable-sync", "--disable-extensions", "--disable-default-apps",
            "--disable-domain-reliability", "--no-pings", "--disable-breakpad",
            "--disable-client-side-phishing-detection", "--disable-features=NetworkTimeServiceQuerying,"
                + "OptimizationHints,MediaRouter,Translate,AutofillServerCommunication",
            "--user-data-dir=" + workDir.resolve("profile-" + run).toAbsolutePath(),
            "--proxy-server=127.0.0.1:" + proxy.getLocalPort(), "--proxy-bypass-list=<-loopback>"));
        command.addAll(List.of(action));
        command.add(page.toUri().toString());
        Path out = workDir.resolve("chromium-" + run + ".out");
        Path err = workDir.resolve("chromium-" + run + ".err");
        Process process = new ProcessBuilder(command).redirectOutput(out.toFile()).redirectError(err.toFile())
            .start();
        if (!process.waitFor(120, TimeUnit.SECONDS)) {
            process.destroyForcibly();
            throw new AssertionError("Chromium did not finish within 120 s: " + command);
        }
        if (process.exitValue() != 0) {
            throw new AssertionError("Chromium exited with " + process.exitValue() + ": " + command + "\n"
                + Files.readString(err, StandardCharsets.UTF_8));
        }
        return Files.readString(out, StandardCharsets.UTF_8);
    }

    /** Accepts connections, each read on a thread of its own so a silent one does not hold up the next. */
    private void recordRequests() {
        while (!proxy.isClosed()) {
            Socket connection;
            try {
                connection = proxy.accept();
            } catch (IOException closed) {
                return;
            }
            reading.incrementAndGet();
            lastAccepted = System.nanoTime();
            Thread reader = new Thread(() -> readRequestLine(connection), "chromium-proxy-connection");
            reader.setDaemon(true);
            reader.start();
        }
    }

    /** Records the connection's first line; one that ends or idles without a line asked for nothing. */
    private void readRequestLine(Socket connection) {
        try (connection) {
            connection.setSoTimeout(5000);
            String first = new BufferedReader(
                new InputStreamReader(connection.getInputStream(), StandardCharsets.ISO_8859_1)).readLine();
            if (first != null && !first.isEmpty()) {
                requests.add(first);
            }
        } catch (IOException silentOrReset) {
            // no request line: nothing was asked for
        } finally {
            reading.decrementAndGet();
        }
    }

    @Override
    public void close() throws IOException {
        proxy.close();
    }
}
