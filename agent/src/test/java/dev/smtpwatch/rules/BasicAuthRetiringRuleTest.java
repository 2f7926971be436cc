package dev.smtpwatch.rules;

import static dev.smtpwatch.rules.Sessions.assertNone;
import static dev.smtpwatch.rules.Sessions.assertOnly;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.smtpwatch.session.SessionFixture;
import dev.smtpwatch.session.SmtpSession;
import java.time.Clock;
import java.time.Instant;
import java.time.ZoneOffset;
import org.junit.jupiter.api.Test;

class BasicAuthRetiringRuleTest {
    private static final Clock DECEMBER_2026 = Clock.fixed(Instant.parse("2026-12-02T12:00:00Z"), ZoneOffset.UTC);
    private static final Clock FEBRUARY_2027 = Clock.fixed(Instant.parse("2027-02-01T12:00:00Z"), ZoneOffset.UTC);

    private static SmtpSession passwordLogin(String host, String mechanism) {
        return SessionFixture.at(host, 587).startTls(true, true).checkServerIdentity(true).auth().greeting(220)
            .ehlo(true).upgradeToTls(Sessions.TLS13, Sessions.AES).command("AUTH " + mechanism, 235).sendMessage()
            .quit().end();
    }

    @Test
    void microsoftIsMediumBeforeTheEndOf2026AndHighAfter() {
        Finding before = assertOnly(new BasicAuthRetiringRule(DECEMBER_2026).judge(passwordLogin("smtp.office365.com",
            "LOGIN")), "basic-auth-retiring", Severity.MEDIUM, "smtp.office365.com:587",
            "mail.smtp.auth.mechanisms=XOAUTH2");
        assertTrue(before.message().contains("end of December 2026") && before.message().contains("2027"),
            before.message());
        assertTrue(before.message().contains("AUTH LOGIN"), before.message());
        assertOnly(new BasicAuthRetiringRule(FEBRUARY_2027).judge(passwordLogin("smtp.office365.com", "PLAIN")),
            "basic-auth-retiring", Severity.HIGH, "smtp.office365.com:587", "XOAUTH2");
    }

    @Test
    void everyMicrosoftAndGoogleHostNameCounts() {
        for (String host : new String[] {"SMTP.Office365.com", "smtp-mail.outlook.com",
                                         "contoso-com.mail.protection.outlook.com", "smtp.office365.com."}) {
            assertOnly(new BasicAuthRetiringRule(DECEMBER_2026).judge(passwordLogin(host, "PLAIN")),
                "basic-auth-retiring", Severity.MEDIUM, host, "XOAUTH2");
        }
        for (String host : new String[] {"smtp.gmail.com", "smtp-relay.gmail.com", "smtp.googlemail.com"}) {
            Finding f = assertOnly(new BasicAuthRetiringRule(DECEMBER_2026).judge(passwordLogin(host, "PLAIN")),
                "basic-auth-retiring", Severity.HIGH, host, "XOAUTH2");
            assertTrue(f.message().contains("1 May 2025"), f.message());
        }
    }

    @Test
    void springSessionsGetTheSpringBootProperty() {
        SmtpSession s = SessionFixture.at("smtp.gmail.com", 587).entry("spring.JavaMailSender.send").auth()
            .greeting(220).ehlo(true).command("AUTH PLAIN AGEAYg==", 235).end();
        Finding f = new BasicAuthRetiringRule(DECEMBER_2026).judge(s).get(0);
        assertTrue(f.fix().contains("spring.mail.properties.mail.smtp.auth.mechanisms=XOAUTH2"), f.fix());
    }

    @Test
    void oauthOtherHostsAndLookalikesAreNoFinding() {
        BasicAuthRetiringRule rule = new BasicAuthRetiringRule(DECEMBER_2026);
        assertNone(rule.judge(passwordLogin("smtp.office365.com", "XOAUTH2")));
        assertNone(rule.judge(passwordLogin("smtp.example.com", "PLAIN")));
        assertNone(rule.judge(passwordLogin("smtp.gmail.com.example.net", "PLAIN")));
        assertNone(rule.judge(passwordLogin("notoutlook.com", "PLAIN")));
        assertNone(rule.judge(SessionFixture.at("smtp.gmail.com", 587).greeting(220).ehlo(true).sendMessage().end()));
    }
}
