package dev.smtpwatch.export;

import dev.smtpwatch.rules.Finding;
import dev.smtpwatch.session.EntryCall;
import dev.smtpwatch.session.SmtpSession;
import java.util.List;

/** One output of judged sessions; called on the export thread only. */
public interface SessionExporter {
    void export(SmtpSession session, List<Finding> findings);

    /** An app call that caused sessions ended (after all its sessions were exported). */
    default void entryEnded(EntryCall entry) {
    }

    /** A connect the library gave up before opening a socket (see {@code SessionSink.connectAbandoned}). */
    default void connectAbandoned(SmtpSession attempt) {
    }

    /**
     * The export thread has handed on every session queued so far and is about to wait for more: output kept for
     * one write goes out now.
     */
    default void batchEnded() {
    }

    /** Flush and release; called once at JVM exit. */
    void close();
}
