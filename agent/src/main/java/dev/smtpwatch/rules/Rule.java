package dev.smtpwatch.rules;

import dev.smtpwatch.session.SmtpSession;
import java.util.List;

/** Judges a finished session; one rule per finding id. */
public interface Rule {
    /** @return the findings, empty when the session is clean for this rule; never null */
    List<Finding> judge(SmtpSession session);
}
