package dev.smtpwatch.cli;

import java.util.ArrayList;
import java.util.Collections;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Locale;
import java.util.Set;

/**
 * The service extensions a 250 reply to EHLO advertises (RFC 5321 §4.1.1.1): every line after the first (which names
 * the server) is a keyword with optional parameters. AUTH mechanisms come from {@code AUTH PLAIN LOGIN} and from the
 * pre-RFC {@code AUTH=PLAIN LOGIN} form that older servers still send for old Outlook clients.
 */
final class EhloCapabilities {
    private final List<String> extensions;

    private EhloCapabilities(List<String> extensions) {
        this.extensions = Collections.unmodifiableList(extensions);
    }

    /** The extensions of a 250 reply; none for any other reply (a server that knows only HELO). */
    static EhloCapabilities of(SmtpReply reply) {
        List<String> lines = reply.lines();
        List<String> extensions = new ArrayList<String>();
        if (reply.code() != 250) {
            return new EhloCapabilities(extensions);
        }
        for (int i = 1; i < lines.size(); i++) {
            String extension = lines.get(i).trim();
            if (!extension.isEmpty()) {
                extensions.add(extension);
            }
        }
        return new EhloCapabilities(extensions);
    }

    /** The extension lines as advertised, e.g. {@code PIPELINING}, {@code SIZE 10240000}, {@code AUTH PLAIN LOGIN}. */
    List<String> extensions() {
        return extensions;
    }

    boolean offers(String keyword) {
        for (String extension : extensions) {
            if (keyword(extension).equals(keyword)) {
                return true;
            }
        }
        return false;
    }

    /** The SASL mechanisms offered, upper case, in advertised order, each once; empty when AUTH is not offered. */
    List<String> authMechanisms() {
        Set<String> mechanisms = new LinkedHashSet<String>();
        for (String extension : extensions) {
            String upper = extension.toUpperCase(Locale.ROOT);
            if (upper.startsWith("AUTH ") || upper.startsWith("AUTH=")) {
                for (String mechanism : upper.substring(5).trim().split("\\s+")) {
                    if (!mechanism.isEmpty()) {
                        mechanisms.add(mechanism);
                    }
                }
            }
        }
        return new ArrayList<String>(mechanisms);
    }

    private static String keyword(String extension) {
        int end = 0;
        while (end < extension.length() && extension.charAt(end) != ' ' && extension.charAt(end) != '=') {
            end++;
        }
        return extension.substring(0, end).toUpperCase(Locale.ROOT);
    }
}
