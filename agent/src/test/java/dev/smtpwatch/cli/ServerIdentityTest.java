package dev.smtpwatch.cli;

import static dev.smtpwatch.cli.ProbeFixtures.CN_ONLY;
import static dev.smtpwatch.cli.ProbeFixtures.MAIL_EXAMPLE;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.List;
import org.junit.jupiter.api.Test;

/** The identity check of the JDK's HTTPS/LDAPS endpoint identification, as the mail libraries use it. */
class ServerIdentityTest {
    @Test
    void dnsNamesMatchExactlyAndCaseInsensitively() {
        assertEquals(ServerIdentity.Match.DNS_NAME, ServerIdentity.match("mail.example.com", MAIL_EXAMPLE));
        assertEquals(ServerIdentity.Match.DNS_NAME, ServerIdentity.match("MAIL.Example.COM.", MAIL_EXAMPLE));
        assertEquals(ServerIdentity.Match.NONE, ServerIdentity.match("smtp.example.com", MAIL_EXAMPLE));
        assertEquals(ServerIdentity.Match.NONE, ServerIdentity.match("example.com", MAIL_EXAMPLE));
    }

    @Test
    void aWildcardStandsForExactlyOneLeftmostLabel() {
        assertEquals(ServerIdentity.Match.DNS_NAME, ServerIdentity.match("smtp.example.org", MAIL_EXAMPLE));
        assertEquals(ServerIdentity.Match.NONE, ServerIdentity.match("example.org", MAIL_EXAMPLE));
        assertEquals(ServerIdentity.Match.NONE, ServerIdentity.match("a.smtp.example.org", MAIL_EXAMPLE));
        assertFalse(ServerIdentity.dnsMatches("example.com", "*.com"), "a wildcard for a whole TLD");
        assertFalse(ServerIdentity.dnsMatches("smtp.example.com", "smtp*.example.com"), "partial wildcards");
        assertTrue(ServerIdentity.dnsMatches("smtp.example.com", "*.example.com"));
    }

    @Test
    void anIpAddressMatchesOnlyAnIpAddressEntry() {
        assertEquals(ServerIdentity.Match.IP_ADDRESS, ServerIdentity.match("192.0.2.1", MAIL_EXAMPLE));
        assertEquals(ServerIdentity.Match.IP_ADDRESS, ServerIdentity.match("2001:db8::1", MAIL_EXAMPLE));
        assertEquals(ServerIdentity.Match.IP_ADDRESS, ServerIdentity.match("[2001:DB8:0::1]", MAIL_EXAMPLE));
        assertEquals(ServerIdentity.Match.NONE, ServerIdentity.match("192.0.2.2", MAIL_EXAMPLE));
        assertEquals(ServerIdentity.Match.NONE, ServerIdentity.match("198.51.100.7", CN_ONLY));
    }

    @Test
    void theCommonNameCountsOnlyWithoutDnsEntries() {
        assertEquals(ServerIdentity.Match.COMMON_NAME, ServerIdentity.match("legacy.example.net", CN_ONLY));
        // MAIL_EXAMPLE's CN is mail.example.com too, but it has DNS entries: they alone decide
        assertEquals(ServerIdentity.Match.NONE, ServerIdentity.match("legacy.example.net", MAIL_EXAMPLE));
    }

    @Test
    void namesAsAUserReadsThem() {
        assertEquals(List.of("DNS:mail.example.com", "DNS:*.example.org", "IP:192.0.2.1", "IP:2001:db8:0:0:0:0:0:1"),
            ServerIdentity.names(MAIL_EXAMPLE));
        assertEquals(List.of("CN:legacy.example.net"), ServerIdentity.names(CN_ONLY));
    }
}
