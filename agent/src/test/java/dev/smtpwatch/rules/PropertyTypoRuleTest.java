package dev.smtpwatch.rules;

import static dev.smtpwatch.rules.Sessions.assertNone;
import static dev.smtpwatch.rules.Sessions.assertOnly;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.smtpwatch.session.SessionFixture;
import java.util.List;
import org.junit.jupiter.api.Test;

class PropertyTypoRuleTest {
    private final Rule rule = new PropertyTypoRule();

    private List<Finding> judge(SessionFixture config) {
        return rule.judge(Sessions.startTlsSession(config));
    }

    private Finding assertTypo(SessionFixture config, String name, String meant) {
        Finding f = assertOnly(judge(config.property(name)), "property-typo", Severity.MEDIUM,
            "smtp.example.com:587", "rename " + name + " to " + meant);
        assertTrue(f.message().contains("the property " + name + " "), f.message());
        return f;
    }

    @Test
    void nearMissesOfKnownKeys() {
        assertTypo(Sessions.startTlsConfig(587), "mail.smpt.auth", "mail.smtp.auth");
        assertTypo(Sessions.startTlsConfig(587), "mail.smtp.starttls.enabled", "mail.smtp.starttls.enable");
        assertTypo(Sessions.startTlsConfig(587), "mail.smtp.ssl.checkServerIdentity",
            "mail.smtp.ssl.checkserveridentity");
        assertTypo(Sessions.startTlsConfig(587), "mail.stmp.starttls.required", "mail.smtp.starttls.required");
        assertTypo(Sessions.startTlsConfig(587), "mail.smtp.hots", "mail.smtp.host");
        assertTypo(Sessions.startTlsConfig(587), "mail.transport.protocl", "mail.transport.protocol");
        assertTypo(Sessions.startTlsConfig(587), "mail.hots", "mail.host");
    }

    @Test
    void aTlsKeyMeansStartTlsNeverImplicitTls() {
        assertTypo(Sessions.startTlsConfig(587), "mail.smtp.tls.enable", "mail.smtp.starttls.enable");
        assertTypo(Sessions.startTlsConfig(587), "mail.smtp.starttls", "mail.smtp.starttls.enable");
    }

    @Test
    void theMessageSaysWhatWasMeantAndThatTheKeyHasNoEffect() {
        Finding f = assertTypo(Sessions.startTlsConfig(587), "mail.smpt.auth", "mail.smtp.auth");
        assertEquals("the property mail.smpt.auth of the session with smtp.example.com:587 is no key the mail library"
            + " reads (mail.smtp.auth was probably meant), so it has no effect", f.message());
    }

    @Test
    void implicitTlsProtocolOnAStartTlsPortIsCalledOutInSpringTerms() {
        Finding f = assertOnly(rule.judge(dev.smtpwatch.session.SessionFixture.at("smtp.example.com", 587)
                .protocol("smtps").entry("spring.JavaMailSender.send").greeting(-1).end()),
            "property-typo", Severity.MEDIUM, "smtp.example.com:587", "spring.mail.protocol=smtp");
        assertTrue(f.message().contains("uses protocol smtps"), f.message());
        assertTrue(f.fix().contains("spring.mail.properties.mail.smtp.starttls.required=true"), f.fix());
        assertNone(rule.judge(dev.smtpwatch.session.SessionFixture.at("smtp.example.com", 465).protocol("smtps")
            .greeting(220).end()));
        assertNone(rule.judge(dev.smtpwatch.session.SessionFixture.at("smtp.example.com", 4650).protocol("smtps")
            .greeting(220).end()));
    }

    @Test
    void springSessionsGetTheSpringBootSpelling() {
        assertOnly(judge(Sessions.startTlsConfig(587).entry("spring.JavaMailSender.send")
            .property("mail.smtp.starttls.enabled")), "property-typo", Severity.MEDIUM, "smtp.example.com:587",
            "(Spring Boot: spring.mail.properties.mail.smtp.starttls.enabled to "
                + "spring.mail.properties.mail.smtp.starttls.enable)");
    }

    @Test
    void aTypoBesideTheRightKeyIsToBeRemoved() {
        assertOnly(judge(Sessions.startTlsConfig(587).property("mail.smtp.starttls.enable")
            .property("mail.smtp.starttls.enabled")), "property-typo", Severity.MEDIUM, "smtp.example.com:587",
            "remove mail.smtp.starttls.enabled (mail.smtp.starttls.enable is set as well)");
    }

    @Test
    void smtpsKeysWhileProtocolSmtpIsUsed() {
        Finding f = assertOnly(judge(Sessions.startTlsConfig(587).property("mail.smtps.auth")), "property-typo",
            Severity.MEDIUM, "smtp.example.com:587", "rename mail.smtps.auth to mail.smtp.auth");
        assertTrue(f.message().contains("uses protocol smtp, which reads mail.smtp.auth"), f.message());
    }

    @Test
    void smtpKeysWhileProtocolSmtpsIsUsed() {
        assertOnly(rule.judge(Sessions.implicitTlsSession(Sessions.implicitTlsConfig(465).protocol("smtps")
            .property("mail.smtp.ssl.trust"))), "property-typo", Severity.MEDIUM, "smtp.example.com:465",
            "rename mail.smtp.ssl.trust to mail.smtps.ssl.trust");
    }

    @Test
    void oneFindingPerKey() {
        assertEquals(2, judge(Sessions.startTlsConfig(587).property("mail.smpt.auth").property("mail.smtps.timeout"))
            .size());
    }

    @Test
    void commonsEmailSetsBothPrefixesOnPurpose() {
        assertNone(judge(Sessions.startTlsConfig(587).property("mail.smtp.sendpartial")
            .property("mail.smtps.sendpartial").property("mail.smtp.auth").property("mail.smtps.auth")));
    }

    @Test
    void knownKeysAndOtherNamespacesAreClean() {
        assertNone(judge(Sessions.startTlsConfig(587).property("mail.smtp.auth").property("mail.smtp.starttls.enable")
            .property("mail.smtp.starttls.required").property("mail.smtp.ssl.checkserveridentity")
            .property("mail.smtp.connectiontimeout").property("mail.smtp.timeout").property("mail.smtp.writetimeout")
            .property("mail.smtp.from").property("mail.smtp.user").property("mail.smtp.ssl.protocols")
            .property("mail.smtp.socketFactory.class").property("mail.transport.protocol").property("mail.host")
            .property("mail.debug").property("mail.debug.auth").property("mail.imap.host").property("mail.imaps.auth")
            .property("mail.pop3.port").property("mail.mime.charset").property("mail.mime.address.strict")
            .property("mail.store.protocol").property("mail.event.scope")));
    }

    @Test
    void unknownKeysFarFromAnyKnownOneAreLeftAlone() {
        // possibly a newer library's key: nothing close to suggest
        assertNone(judge(Sessions.startTlsConfig(587).property("mail.smtp.password")
            .property("mail.smtp.some.future.setting")));
    }
}
