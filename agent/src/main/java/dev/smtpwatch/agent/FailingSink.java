package dev.smtpwatch.agent;

import dev.smtpwatch.session.EntryCall;
import dev.smtpwatch.session.SessionSink;
import dev.smtpwatch.session.SmtpSession;

/**
 * Fault injection for the reliability tests only: with {@value #PROPERTY}{@code =true} the recorder's hand-over
 * throws at every session end, as a bug in the agent would, so the tests can prove that the mail is still sent and
 * one WARN says a session could not be recorded. Outside the {@code smtpwatch.} namespace on purpose: not a
 * setting, and no user has a reason to set it.
 */
final class FailingSink implements SessionSink {
    static final String PROPERTY = "smtpwatch-test.failRecorder";

    private final SessionSink sink;

    private FailingSink(SessionSink sink) {
        this.sink = sink;
    }

    static SessionSink wrapIfAsked(SessionSink sink) {
        return Boolean.getBoolean(PROPERTY) ? new FailingSink(sink) : sink;
    }

    @Override
    public void sessionEnded(SmtpSession session) {
        throw new IllegalStateException("injected by " + PROPERTY);
    }

    @Override
    public void entryEnded(EntryCall entry) {
        sink.entryEnded(entry);
    }

    @Override
    public void connectAbandoned(SmtpSession attempt) {
        sink.connectAbandoned(attempt);
    }
}
