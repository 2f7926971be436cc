package dev.smtpwatch.sample.wrappers;

import dev.smtpwatch.sample.SampleSettings;

/** Simple Java Mail wraps Jakarta Mail only; the jakarta line has the real sender. */
final class SimpleJavaMail {
    private SimpleJavaMail() {
    }

    static void send(SampleSettings settings) {
        throw new IllegalArgumentException("Simple Java Mail wraps Jakarta Mail only: use the jakarta wrappers app");
    }
}
