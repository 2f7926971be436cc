package dev.smtpwatch.export;

import dev.smtpwatch.agent.AgentLog;
import java.io.OutputStream;
import java.io.PrintStream;
import org.slf4j.Logger;

/** The agent's own logger, pointed at a stream the test reads. */
final class TestLogs {
    private TestLogs() {
    }

    static Logger to(PrintStream out) {
        return AgentLog.create(false, out);
    }

    static Logger discard() {
        return to(new PrintStream(OutputStream.nullOutputStream()));
    }
}
