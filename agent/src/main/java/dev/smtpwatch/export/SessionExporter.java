package dev.smtpwatch.export;

import dev.smtpwatch.rules.Finding;
import dev.smtpwatch.session.SmtpSession;
import java.util.List;

/** One output of judged sessions; called on the export thread only. */
public interface SessionExporter {
    void export(SmtpSession session, List<Finding> findings);

    /** Flush and release; called once at JVM exit. */
    void close();
}
