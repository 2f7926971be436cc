package dev.smtpwatch.session;

import java.util.regex.Matcher;
import java.util.regex.Pattern;

/** Finds the id a server gives an accepted message, to look the mail up in the server's logs. */
final class QueueId {
    // Postfix "Ok: queued as X", Exim "OK id=X", Sendmail "2.0.0 X Message accepted for delivery".
    private static final Pattern[] PATTERNS = {
        Pattern.compile("queued as ([A-Za-z0-9._-]{4,64})"),
        Pattern.compile("\\bid=([A-Za-z0-9._-]{4,64})"),
        Pattern.compile("^250[ -](?:\\d\\.\\d\\.\\d )?([A-Za-z0-9]{6,64}) Message accepted"),
    };
    /** What each pattern cannot match without: a plain search first spares the regex on every other reply. */
    private static final String[] NEEDLES = {"queued as ", "id=", " Message accepted"};

    private QueueId() {
    }

    static String in(String reply) {
        if (reply == null) {
            return null;
        }
        for (int i = 0; i < PATTERNS.length; i++) {
            if (reply.indexOf(NEEDLES[i]) < 0) {
                continue;
            }
            Matcher matcher = PATTERNS[i].matcher(reply);
            if (matcher.find()) {
                return matcher.group(1);
            }
        }
        return null;
    }
}
