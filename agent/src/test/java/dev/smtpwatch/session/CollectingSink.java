package dev.smtpwatch.session;

import java.util.ArrayList;
import java.util.List;

/** What a recorder handed on, kept for the test to read. */
public final class CollectingSink implements SessionSink {
    public final List<SmtpSession> ended = new ArrayList<>();
    public final List<EntryCall> entries = new ArrayList<>();
    public final List<SmtpSession> abandoned = new ArrayList<>();
    /** Ended sessions and entry calls together, in the order they were handed on. */
    public final List<Object> inOrder = new ArrayList<>();

    @Override
    public void sessionEnded(SmtpSession session) {
        ended.add(session);
        inOrder.add(session);
    }

    @Override
    public void entryEnded(EntryCall entry) {
        entries.add(entry);
        inOrder.add(entry);
    }

    @Override
    public void connectAbandoned(SmtpSession attempt) {
        abandoned.add(attempt);
    }
}
