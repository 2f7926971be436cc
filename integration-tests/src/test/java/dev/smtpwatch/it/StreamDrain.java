package dev.smtpwatch.it;

import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;

/** Reads a child JVM's stream on its own thread so a full pipe never blocks the child. */
public final class StreamDrain extends Thread {
    private final InputStream in;
    private volatile String text = "";

    public StreamDrain(InputStream in) {
        this.in = in;
        setDaemon(true);
        start();
    }

    @Override
    public void run() {
        try {
            text = new String(in.readAllBytes(), StandardCharsets.UTF_8);
        } catch (IOException e) {
            text = "(unreadable: " + e + ")";
        }
    }

    /** Everything the stream carried, once it closed (waits up to 10 s for that). */
    public String text() throws InterruptedException {
        join(10_000);
        return text;
    }
}
