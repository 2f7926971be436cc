package dev.smtpwatch.rules;

import static dev.smtpwatch.rules.Sessions.assertNone;
import static dev.smtpwatch.rules.Sessions.assertOnly;
import static org.junit.jupiter.api.Assertions.assertTrue;

import org.junit.jupiter.api.Test;

class AuthFailedRuleTest {
    private final Rule rule = new AuthFailedRule();

    @Test
    void credentialsRejected() {
        Finding f = assertOnly(rule.judge(Sessions.startTlsConfig(587).greeting(220).ehlo(true)
            .upgradeToTls(Sessions.TLS13, Sessions.AES).authenticate(535).quit().end()), "auth-failed", Severity.LOW,
            "smtp.example.com:587", "check the user name and password");
        assertTrue(f.message().contains("AUTH PLAIN with 535"), f.message());
        assertTrue(f.fix().contains("spring.mail.username"), f.fix());
    }

    private static java.util.List<Finding> authAnswered(int code, String text) {
        return new AuthFailedRule().judge(Sessions.startTlsConfig(587).greeting(220).ehlo(true)
            .upgradeToTls(Sessions.TLS13, Sessions.AES).command("AUTH LOGIN", code, text).quit().end());
    }

    @Test
    void wellKnownRepliesAreExplainedByTheirCodesOnly() {
        Finding tenant = assertOnly(authAnswered(535, "535 5.7.139 Authentication unsuccessful, basic authentication"
            + " is disabled. [AM0PR01CA0001.eurprd01.prod.exchangelabs.com]\n"), "auth-failed", Severity.LOW,
            "smtp.example.com:587", "use OAuth2: set mail.smtp.auth.mechanisms=XOAUTH2");
        assertTrue(tenant.message().endsWith("rejected the credentials of AUTH LOGIN with 535 5.7.139, which means"
            + " basic authentication (a password) is disabled for the Microsoft 365 tenant"), tenant.message());
        assertTrue(!tenant.message().contains("AM0PR01CA0001"), "never the server's text: " + tenant.message());

        assertTrue(assertOnly(authAnswered(550, "550 5.7.30 Basic authentication is not supported for Client Submission."
            + "\n"), "auth-failed", Severity.LOW, "smtp.example.com:587", "XOAUTH2").message()
            .contains("550 5.7.30, which means basic authentication (a password) is not supported"));
        assertTrue(assertOnly(authAnswered(534, "534-5.7.9 Application-specific password required. Learn more at\n"
            + "534 5.7.9  https://support.google.com/mail/?p=InvalidSecondFactor\n"), "auth-failed", Severity.LOW,
            "smtp.example.com:587", "create an app password").message().contains("534 5.7.9, which means"));
        assertTrue(assertOnly(authAnswered(454, "454 4.7.0 Too many login attempts, please try again later.\n"),
            "auth-failed", Severity.LOW, "smtp.example.com:587", "connect once and send several messages")
            .message().contains("too many login attempts"));
        assertTrue(assertOnly(authAnswered(421, "421 4.7.0 Try again later, closing connection.\n"), "auth-failed",
            Severity.LOW, "smtp.example.com:587", "wait before retrying").message().contains("throttling"));
    }

    @Test
    void otherCodesAtTheSameReplyAreNotTakenForTheKnownOnes() {
        Finding generic = assertOnly(authAnswered(535, "535 5.7.8 Error: authentication failed\n"), "auth-failed",
            Severity.LOW, "smtp.example.com:587", "check the user name and password");
        assertTrue(generic.message().endsWith("with 535 5.7.8"), generic.message());
        assertNone(authAnswered(454, "454 4.7.1 Relay access denied\n"));
        assertNone(authAnswered(550, "550 5.7.1 Rejected\n"));
    }

    @Test
    void noFindingWhenAcceptedOrNotAttempted() {
        assertNone(rule.judge(Sessions.startTlsSession(Sessions.startTlsConfig(587))));
        assertNone(rule.judge(Sessions.startTlsConfig(587).greeting(220).ehlo(true)
            .upgradeToTls(Sessions.TLS13, Sessions.AES).sendMessage().quit().end()));
        assertNone(rule.judge(Sessions.startTlsConfig(587).greeting(220).ehlo(true)
            .upgradeToTls(Sessions.TLS13, Sessions.AES).authenticate(454).quit().end()));
    }
}
