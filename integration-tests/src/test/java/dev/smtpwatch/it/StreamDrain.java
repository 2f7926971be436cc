package dev.smtpwatch.it;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;

/** Reads a child JVM's stream on its own thread so a full pipe never blocks the child. */
public final class StreamDrain extends Thread {
    private final InputStream in;
    /** Guarded by itself. */
    private final ByteArrayOutputStream read = new ByteArrayOutputStream();
    private volatile String failure;

    public StreamDrain(InputStream in) {
        this.in = in;
        setDaemon(true);
        start();
    }

    @Override
    public void run() {
        byte[] buffer = new byte[8192];
        try {
            for (int n; (n = in.read(buffer)) != -1; ) {
                synchronized (read) {
                    read.write(buffer, 0, n);
                }
            }
        } catch (IOException e) {
            failure = "(unreadable: " + e + ")";
        }
    }

    /** Everything the stream carried, once it closed (waits up to 10 s for that). */
    public String text() throws InterruptedException {
        join(10_000);
        return failure != null ? failure : textSoFar();
    }

    /** What the stream carried until now, while the child still runs. */
    public String textSoFar() {
        synchronized (read) {
            return new String(read.toByteArray(), StandardCharsets.UTF_8);
        }
    }
}
