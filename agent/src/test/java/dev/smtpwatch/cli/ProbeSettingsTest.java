package dev.smtpwatch.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;

import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

/** The settings {@code probe} recommends: safe ones, in both spellings, for the mode the server speaks. */
class ProbeSettingsTest {
    @Test
    void startTlsMandatoryWithIdentityCheckAndTimeouts() {
        ProbeSettings settings = ProbeSettings.of(ProbeFixtures.cleanStartTls());

        Map<String, String> jakarta = new LinkedHashMap<>();
        jakarta.put("mail.smtp.host", "mail.example.com");
        jakarta.put("mail.smtp.port", "587");
        jakarta.put("mail.smtp.auth", "true");
        jakarta.put("mail.smtp.starttls.enable", "true");
        jakarta.put("mail.smtp.starttls.required", "true");
        jakarta.put("mail.smtp.ssl.checkserveridentity", "true");
        jakarta.put("mail.smtp.ssl.protocols", "TLSv1.2 TLSv1.3");
        jakarta.put("mail.smtp.connectiontimeout", "10000");
        jakarta.put("mail.smtp.timeout", "10000");
        jakarta.put("mail.smtp.writetimeout", "10000");
        assertEquals(jakarta, settings.jakartaMail);
        assertEquals(List.copyOf(jakarta.keySet()), List.copyOf(settings.jakartaMail.keySet()), "in this order");

        Map<String, String> spring = new LinkedHashMap<>();
        spring.put("spring.mail.host", "mail.example.com");
        spring.put("spring.mail.port", "587");
        spring.put("spring.mail.protocol", "smtp");
        spring.put("spring.mail.username", "<user>");
        spring.put("spring.mail.password", "<password>");
        for (String key : List.of("auth", "starttls.enable", "starttls.required", "ssl.checkserveridentity",
            "ssl.protocols", "connectiontimeout", "timeout", "writetimeout")) {
            spring.put("spring.mail.properties.mail.smtp." + key, jakarta.get("mail.smtp." + key));
        }
        assertEquals(spring, settings.springBoot);
        assertEquals(List.of(), settings.notes);
    }

    @Test
    void implicitTlsUsesProtocolSmtps() {
        ProbeSettings settings = ProbeSettings.of(ProbeFixtures.cleanImplicit());

        assertEquals(List.of("mail.transport.protocol", "mail.smtps.host", "mail.smtps.port", "mail.smtps.auth",
            "mail.smtps.ssl.checkserveridentity", "mail.smtps.ssl.protocols", "mail.smtps.connectiontimeout",
            "mail.smtps.timeout", "mail.smtps.writetimeout"), List.copyOf(settings.jakartaMail.keySet()));
        assertEquals("smtps", settings.jakartaMail.get("mail.transport.protocol"));
        assertEquals("TLSv1.2", settings.jakartaMail.get("mail.smtps.ssl.protocols"), "TLS 1.2 was negotiated");
        assertEquals("smtps", settings.springBoot.get("spring.mail.protocol"));
        assertEquals("true", settings.springBoot.get("spring.mail.properties.mail.smtps.auth"));
    }

    @Test
    void noAuthOfferedNoAuthSettings() {
        ProbeResult r = ProbeFixtures.cleanStartTls();
        r.ehloAfterTls = EhloCapabilities.of(ProbeFixtures.reply(250, "relay", "PIPELINING"));
        ProbeSettings settings = ProbeSettings.of(r);

        assertEquals(null, settings.jakartaMail.get("mail.smtp.auth"));
        assertEquals(null, settings.springBoot.get("spring.mail.username"));
    }

    @Test
    void notesForAServerWithoutTlsAndForAnIpAddressIdentity() {
        ProbeResult noTls = ProbeFixtures.cleanStartTls();
        noTls.mode = ProbeResult.Mode.NONE;
        noTls.tlsEstablished = false;
        noTls.chain = null;
        assertEquals(List.of("mail.example.com:587 offers no TLS: with these settings the app refuses to send there"
            + " until it does"), ProbeSettings.of(noTls).notes);
        assertEquals("true", ProbeSettings.of(noTls).jakartaMail.get("mail.smtp.starttls.required"));

        ProbeResult byAddress = ProbeFixtures.cleanStartTls();
        byAddress.serverName = "192.0.2.1";
        assertEquals(List.of("the certificate names 192.0.2.1 as an IP address entry: Angus Mail 2 accepts that,"
            + " javax.mail 1.x and com.sun.mail Jakarta Mail 2.0 check DNS names only (use a name the certificate"
            + " lists there: mail.example.com, *.example.org)"), ProbeSettings.of(byAddress).notes);
    }

    @Test
    void noSettingsForAServerThatNeverAnswered() {
        ProbeResult r = new ProbeResult("mail.example.com", 587, "mail.example.com", ProbeFixtures.NOW);
        ProbeSettings settings = ProbeSettings.of(r);

        assertEquals(Map.of(), settings.jakartaMail);
        assertEquals(List.of("no settings: mail.example.com:587 stopped answering before it showed how it speaks TLS"),
            settings.notes);
    }
}
