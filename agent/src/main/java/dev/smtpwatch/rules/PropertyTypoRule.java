package dev.smtpwatch.rules;

import dev.smtpwatch.session.SmtpSession;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.Set;

/**
 * {@code property-typo}: a {@code mail.*} property the library never reads, one finding per key:
 * <ul>
 *   <li>a near miss of a known key ({@code mail.smpt.auth}, {@code mail.smtp.starttls.enabled},
 *       {@code mail.smtp.ssl.checkServerIdentity}), by edit distance on the namespace and on the rest;</li>
 *   <li>a known SMTP key under the other protocol's prefix ({@code mail.smtps.auth} while protocol {@code smtp}
 *       is used, and the reverse) when the key for the protocol in use is absent. Libraries such as Commons Email
 *       set both on purpose: no finding then.</li>
 *   <li>protocol {@code smtps} (TLS from the first byte) for a STARTTLS port (25, 587, 2525): the
 *       {@code spring.mail.protocol=smtps} with {@code spring.mail.port=587} mix-up.</li>
 * </ul>
 * Keys of other protocols and subsystems ({@code mail.imap.*}, {@code mail.mime.*}) are never judged.
 */
public final class PropertyTypoRule implements Rule {
    @Override
    public List<Finding> judge(SmtpSession session) {
        Set<String> names = session.config().mailPropertyNames();
        List<Finding> findings = new ArrayList<Finding>();
        for (String name : names) {
            if (!name.startsWith("mail.")) {
                continue;
            }
            String meant = meant(name.substring("mail.".length()));
            if (meant != null) {
                findings.add(finding(session, name, meant, "is no key the mail library reads (" + meant
                    + " was probably meant)"));
                continue;
            }
            String inUse = otherProtocolKey(session, name);
            if (inUse != null && !names.contains(inUse)) {
                findings.add(finding(session, name, inUse, "is ignored because the session uses protocol "
                    + session.config().protocol() + ", which reads " + inUse));
            }
        }
        if ("smtps".equals(session.config().protocol()) && SessionFacts.startTlsPort(session.serverPort())) {
            findings.add(new Finding("property-typo", Severity.MEDIUM, "the session with "
                + SessionFacts.where(session) + " uses protocol smtps, which starts TLS with the first byte, but port "
                + session.serverPort() + " expects plaintext first and then STARTTLS",
                Fixes.set(session, Fixes.TRANSPORT_PROTOCOL + "=smtp", "mail.smtp.starttls.enable=true",
                    "mail.smtp.starttls.required=true") + ", or keep smtps and use port 465"));
        }
        return findings;
    }

    private static Finding finding(SmtpSession session, String name, String meant, String problem) {
        boolean alsoSet = session.config().mailPropertyNames().contains(meant);
        return new Finding("property-typo", Severity.MEDIUM,
            "the property " + name + " of the session with " + SessionFacts.where(session) + " " + problem
                + ", so it has no effect",
            alsoSet ? "remove " + name + " (" + meant + " is set as well) and check that " + meant
                + " has the value meant" : Fixes.rename(session, name, meant));
    }

    /** The known key a misspelt {@code mail.} key (given without that prefix) was meant to be, or null. */
    private static String meant(String key) {
        int dot = key.indexOf('.');
        if (dot < 0) {
            String general = KnownProperties.nearest(key, KnownProperties.GENERAL_NAMES);
            return general == null || general.equals(key) ? null : "mail." + general;
        }
        String namespace = key.substring(0, dot);
        String rest = key.substring(dot + 1);
        if ("transport".equals(namespace)) {
            String protocol = KnownProperties.nearest(rest, Collections.singleton("protocol"));
            return protocol == null || protocol.equals(rest) ? null : "mail.transport." + protocol;
        }
        String smtp = KnownProperties.PROTOCOLS.contains(namespace) ? namespace
            : KnownProperties.OTHER_NAMESPACES.contains(namespace) ? null
            : KnownProperties.nearest(namespace, KnownProperties.PROTOCOLS);
        if (smtp == null || KnownProperties.SMTP_SUFFIXES.contains(rest) && smtp.equals(namespace)) {
            return null;
        }
        String suffix = KnownProperties.SMTP_SUFFIXES.contains(rest) ? rest : KnownProperties.smtpSuffixFor(rest);
        if (suffix == null) {
            // an unknown key in a known namespace may be a newer library's; a misspelt namespace is wrong anyway
            return smtp.equals(namespace) ? null : "mail." + smtp + "." + rest;
        }
        return "mail." + smtp + "." + suffix;
    }

    /** For a known key of the protocol not in use, the same key of the protocol in use; else null. */
    private static String otherProtocolKey(SmtpSession session, String name) {
        String protocol = session.config().protocol();
        String other = "smtp".equals(protocol) ? "smtps" : "smtps".equals(protocol) ? "smtp" : null;
        String prefix = "mail." + other + ".";
        if (other == null || !name.startsWith(prefix)
            || !KnownProperties.SMTP_SUFFIXES.contains(name.substring(prefix.length()))) {
            return null;
        }
        return Fixes.key(session, name.substring(prefix.length()));
    }
}
