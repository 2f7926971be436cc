package dev.smtpwatch.rules;

import java.util.Arrays;
import java.util.Collections;
import java.util.HashMap;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;

/**
 * The session property keys the SMTP providers read, from the javax.mail / Jakarta Mail / Angus Mail SMTP package
 * documentation ({@code com.sun.mail.smtp}, {@code org.eclipse.angus.mail.smtp}) and the general keys of the
 * Session. SMTP keys are stored without their {@code mail.smtp.} / {@code mail.smtps.} prefix.
 */
final class KnownProperties {
    static final Set<String> SMTP_SUFFIXES = Collections.unmodifiableSet(new TreeSet<String>(Arrays.asList(
        "user", "host", "port", "connectiontimeout", "timeout", "writetimeout", "from", "localhost",
        "localaddress", "localport", "ehlo", "auth", "auth.mechanisms", "auth.login.disable", "auth.plain.disable",
        "auth.digest-md5.disable", "auth.ntlm.disable", "auth.xoauth2.disable", "auth.ntlm.domain",
        "auth.ntlm.flags", "auth.ntlm.unicode", "auth.ntlm.lmcompat", "submitter", "dsn.notify", "dsn.ret",
        "allow8bitmime", "sendpartial", "sasl.enable", "sasl.mechanisms", "sasl.authorizationid", "sasl.realm",
        "sasl.usecanonicalhostname", "quitwait", "quitonsessionreject", "reportsuccess", "socketFactory",
        "socketFactory.class", "socketFactory.fallback", "socketFactory.port", "ssl.enable",
        "ssl.checkserveridentity", "ssl.trust", "ssl.socketFactory", "ssl.socketFactory.class",
        "ssl.socketFactory.port", "ssl.protocols", "ssl.ciphersuites", "ssl.hostnameverifier",
        "ssl.hostnameverifier.class", "starttls.enable", "starttls.required", "proxy.host", "proxy.port",
        "proxy.user", "proxy.password", "socks.host", "socks.port", "mailextension", "userset", "noop.strict",
        "chunksize")));

    /** Session-wide keys {@code mail.<name>} that a misspelling could be meant for. */
    static final Set<String> GENERAL_NAMES = Collections.unmodifiableSet(new TreeSet<String>(Arrays.asList(
        "host", "user", "from", "debug")));

    static final Set<String> PROTOCOLS = Collections.unmodifiableSet(new TreeSet<String>(Arrays.asList(
        "smtp", "smtps")));

    /** Namespaces of other protocols and subsystems: never read as misspellings of {@code smtp}. */
    static final Set<String> OTHER_NAMESPACES = Collections.unmodifiableSet(new TreeSet<String>(Arrays.asList(
        "imap", "imaps", "pop3", "pop3s", "nntp", "mime", "store", "transport", "event", "mbox", "debug", "smtp",
        "smtps")));

    /**
     * Misspellings that edit distance would map wrongly or not at all: a {@code tls} key means STARTTLS, never
     * implicit TLS ({@code tls.enable} is two edits from {@code ssl.enable}).
     */
    private static final Map<String, String> SMTP_ALIASES = aliases(
        "tls", "starttls.enable", "tls.enable", "starttls.enable", "tls.required", "starttls.required",
        "starttls", "starttls.enable", "ssl", "ssl.enable", "ssl.starttls.enable", "starttls.enable");

    private KnownProperties() {
    }

    /** The known SMTP key (without prefix) an unknown one was probably meant to be, or null. */
    static String smtpSuffixFor(String unknown) {
        String alias = SMTP_ALIASES.get(unknown);
        return alias != null ? alias : nearest(unknown, SMTP_SUFFIXES);
    }

    private static Map<String, String> aliases(String... pairs) {
        Map<String, String> map = new HashMap<String, String>();
        for (int i = 0; i < pairs.length; i += 2) {
            map.put(pairs[i], pairs[i + 1]);
        }
        return Collections.unmodifiableMap(map);
    }

    /**
     * Optimal string alignment distance: insertions, deletions, substitutions and swaps of two neighbours each
     * cost one ({@code smpt} is one edit from {@code smtp}).
     */
    static int distance(String a, String b) {
        int[][] d = new int[a.length() + 1][b.length() + 1];
        for (int i = 0; i <= a.length(); i++) {
            d[i][0] = i;
        }
        for (int j = 0; j <= b.length(); j++) {
            d[0][j] = j;
        }
        for (int i = 1; i <= a.length(); i++) {
            for (int j = 1; j <= b.length(); j++) {
                int cost = a.charAt(i - 1) == b.charAt(j - 1) ? 0 : 1;
                d[i][j] = Math.min(Math.min(d[i - 1][j] + 1, d[i][j - 1] + 1), d[i - 1][j - 1] + cost);
                if (i > 1 && j > 1 && a.charAt(i - 1) == b.charAt(j - 2) && a.charAt(i - 2) == b.charAt(j - 1)) {
                    d[i][j] = Math.min(d[i][j], d[i - 2][j - 2] + 1);
                }
            }
        }
        return d[a.length()][b.length()];
    }

    /**
     * The known key closest to {@code key} within the allowed distance (1 for short keys, 2 from 8 characters;
     * a difference in case only always counts), or null.
     */
    static String nearest(String key, Set<String> known) {
        int allowed = key.length() >= 8 ? 2 : 1;
        String best = null;
        int bestDistance = Integer.MAX_VALUE;
        for (String candidate : known) {
            if (candidate.equalsIgnoreCase(key)) {
                return candidate;
            }
            int d = distance(key, candidate);
            if (d <= allowed && d < bestDistance) {
                best = candidate;
                bestDistance = d;
            }
        }
        return best;
    }
}
