package dev.smtpwatch.rules;

import static dev.smtpwatch.rules.Sessions.assertNone;
import static dev.smtpwatch.rules.Sessions.assertOnly;
import static dev.smtpwatch.rules.Sessions.couldNotConnect;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.smtpwatch.session.SessionFixture;
import java.net.ConnectException;
import javax.net.ssl.SSLException;
import javax.net.ssl.SSLHandshakeException;
import org.junit.jupiter.api.Test;

class ImplicitTlsOnStartTlsPortRuleTest {
    private final Rule rule = new ImplicitTlsOnStartTlsPortRule();

    private static SSLException plaintextAnswerJdk8() {
        return new SSLException("Unrecognized SSL message, plaintext connection?");
    }

    @Test
    void sslEnableAgainstSubmissionPort() {
        Finding f = assertOnly(rule.judge(Sessions.implicitTlsConfig(587).failed(couldNotConnect(587,
            plaintextAnswerJdk8())).end()), "implicit-tls-on-starttls-port", Severity.HIGH, "smtp.example.com:587",
            "set mail.smtp.ssl.enable=false, mail.smtp.starttls.enable=true and mail.smtp.starttls.required=true");
        assertTrue(f.message().contains("(mail.smtp.ssl.enable=true)"), f.message());
        assertTrue(f.message().contains("a plaintext/STARTTLS port"), f.message());
        assertTrue(f.fix().endsWith("or keep implicit TLS and connect to port 465"), f.fix());
    }

    @Test
    void protocolSmtpsAgainstPort25OnALaterJdk() {
        Finding f = assertOnly(rule.judge(SessionFixture.at("relay.example.com", 25).protocol("smtps")
            .failed(couldNotConnect(25, new SSLException("Unsupported or unrecognized SSL message"))).end()),
            "implicit-tls-on-starttls-port", Severity.HIGH, "relay.example.com:25",
            "set mail.transport.protocol=smtp, mail.smtp.starttls.enable=true and mail.smtp.starttls.required=true");
        assertTrue(f.message().contains("(protocol smtps)"), f.message());
    }

    @Test
    void aPlaintextServerOnANonStandardPortIsReportedWithoutPortClaims() {
        Finding f = assertOnly(rule.judge(Sessions.implicitTlsConfig(10465).failed(couldNotConnect(10465,
            plaintextAnswerJdk8())).end()), "implicit-tls-on-starttls-port", Severity.HIGH, "smtp.example.com:10465",
            "mail.smtp.starttls.required=true");
        assertFalse(f.message().contains("STARTTLS port"), f.message());
    }

    @Test
    void noFindingFromThePortAlone() {
        // a server that really speaks implicit TLS on 587 or 25: what happened on the wire decides
        assertNone(rule.judge(Sessions.implicitTlsSession(Sessions.implicitTlsConfig(587))));
        assertNone(rule.judge(Sessions.implicitTlsSession(Sessions.implicitTlsConfig(25))));
        assertNone(rule.judge(Sessions.startTlsSession(Sessions.startTlsConfig(587))));
        // other TLS failures and refused connections on 587 are not this finding
        assertNone(rule.judge(Sessions.implicitTlsConfig(587).failed(couldNotConnect(587,
            new SSLHandshakeException("Received fatal alert: handshake_failure"))).end()));
        assertNone(rule.judge(Sessions.implicitTlsConfig(587).failed(couldNotConnect(587,
            new ConnectException("Connection refused"))).end()));
    }
}
