package dev.smtpwatch.cli;

import java.net.InetAddress;
import java.net.UnknownHostException;
import java.security.cert.CertificateParsingException;
import java.security.cert.X509Certificate;
import java.util.ArrayList;
import java.util.Collection;
import java.util.Collections;
import java.util.List;
import java.util.Locale;
import java.util.regex.Pattern;
import javax.naming.InvalidNameException;
import javax.naming.ldap.LdapName;
import javax.naming.ldap.Rdn;

/**
 * Whether a server certificate names the host the client connects to, by the rules the JDK applies for the
 * {@code HTTPS} / {@code LDAPS} endpoint identification the mail libraries use (RFC 2818 / RFC 6125): an IP address
 * must be an IP address entry of the subject alternative names; a DNS name must match a DNS entry, where {@code *}
 * stands for exactly one label and only as the whole leftmost one ({@code *.example.com}); the subject's CN counts
 * only when the certificate has no DNS entry at all. Matching is done here, not by the handshake, so that a mismatch
 * is reported beside everything else instead of ending the probe.
 */
final class ServerIdentity {
    private static final int DNS_NAME = 2;
    private static final int IP_ADDRESS = 7;
    private static final Pattern IPV4 = Pattern.compile("\\d{1,3}(\\.\\d{1,3}){3}");

    /** How the name was found in the certificate. */
    enum Match {
        DNS_NAME("dns-name", "DNS name entry"), IP_ADDRESS("ip-address", "IP address entry"),
        COMMON_NAME("common-name", "subject CN, no DNS entries"), NONE("none", "no entry");

        final String id;
        final String description;

        Match(String id, String description) {
            this.id = id;
            this.description = description;
        }
    }

    private ServerIdentity() {
    }

    static Match match(String name, X509Certificate certificate) {
        String host = name.toLowerCase(Locale.ROOT);
        if (host.startsWith("[") && host.endsWith("]")) {
            host = host.substring(1, host.length() - 1);
        }
        if (ipLiteral(host)) {
            return ipMatches(host, certificate) ? Match.IP_ADDRESS : Match.NONE;
        }
        if (host.endsWith(".")) {
            host = host.substring(0, host.length() - 1);
        }
        List<String> dnsNames = altNames(certificate, DNS_NAME);
        if (!dnsNames.isEmpty()) {
            for (String pattern : dnsNames) {
                if (dnsMatches(host, pattern)) {
                    return Match.DNS_NAME;
                }
            }
            return Match.NONE;
        }
        String cn = commonName(certificate);
        return cn != null && dnsMatches(host, cn) ? Match.COMMON_NAME : Match.NONE;
    }

    /** The names the certificate is for, as a user reads them: {@code DNS:localhost}, {@code IP:127.0.0.1}. */
    static List<String> names(X509Certificate certificate) {
        List<String> names = new ArrayList<String>();
        for (String dns : altNames(certificate, DNS_NAME)) {
            names.add("DNS:" + dns);
        }
        for (String ip : altNames(certificate, IP_ADDRESS)) {
            names.add("IP:" + ip);
        }
        if (names.isEmpty() && commonName(certificate) != null) {
            names.add("CN:" + commonName(certificate));
        }
        return names;
    }

    /** The DNS entries of the subject alternative names. */
    static List<String> dnsNames(X509Certificate certificate) {
        return altNames(certificate, DNS_NAME);
    }

    static boolean ipLiteral(String host) {
        return IPV4.matcher(host).matches() || host.indexOf(':') >= 0;
    }

    static boolean dnsMatches(String host, String pattern) {
        String p = pattern.toLowerCase(Locale.ROOT);
        if (p.endsWith(".")) {
            p = p.substring(0, p.length() - 1);
        }
        if (!p.startsWith("*.")) {
            return p.indexOf('*') < 0 && p.equals(host);
        }
        String suffix = p.substring(1);
        // "*.com" would cover a whole top-level domain: RFC 6125 §7.2 and the JDK refuse it
        if (suffix.indexOf('*') >= 0 || suffix.indexOf('.', 1) < 0) {
            return false;
        }
        int firstDot = host.indexOf('.');
        return firstDot > 0 && host.substring(firstDot).equals(suffix);
    }

    private static boolean ipMatches(String host, X509Certificate certificate) {
        InetAddress address = literal(host);
        if (address == null) {
            return false;
        }
        for (String ip : altNames(certificate, IP_ADDRESS)) {
            if (address.equals(literal(ip))) {
                return true;
            }
        }
        return false;
    }

    /** An address literal parsed without any lookup (getByName resolves nothing for a literal), or null. */
    private static InetAddress literal(String ip) {
        if (!ipLiteral(ip)) {
            return null;
        }
        try {
            return InetAddress.getByName(ip);
        } catch (UnknownHostException malformed) {
            return null;
        }
    }

    private static List<String> altNames(X509Certificate certificate, int type) {
        Collection<List<?>> entries;
        try {
            entries = certificate.getSubjectAlternativeNames();
        } catch (CertificateParsingException unreadable) {
            return Collections.emptyList();
        }
        if (entries == null) {
            return Collections.emptyList();
        }
        List<String> names = new ArrayList<String>();
        for (List<?> entry : entries) {
            if (entry.size() >= 2 && Integer.valueOf(type).equals(entry.get(0)) && entry.get(1) instanceof String) {
                names.add((String) entry.get(1));
            }
        }
        return names;
    }

    /** The most specific (last) CN of the subject, as the JDK's HostnameChecker takes it; null when there is none. */
    private static String commonName(X509Certificate certificate) {
        try {
            List<Rdn> rdns = new LdapName(certificate.getSubjectX500Principal().getName()).getRdns();
            // LdapName indexes RDNs from the right: the most specific (leftmost) CN is the last index that has one
            for (int i = rdns.size() - 1; i >= 0; i--) {
                if ("CN".equalsIgnoreCase(rdns.get(i).getType())) {
                    return String.valueOf(rdns.get(i).getValue());
                }
            }
        } catch (InvalidNameException unreadable) {
            return null;
        }
        return null;
    }
}
