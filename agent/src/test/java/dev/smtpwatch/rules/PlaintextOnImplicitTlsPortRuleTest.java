package dev.smtpwatch.rules;

import static dev.smtpwatch.rules.Sessions.assertNone;
import static dev.smtpwatch.rules.Sessions.assertOnly;
import static dev.smtpwatch.rules.Sessions.couldNotConnect;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.smtpwatch.session.SessionFixture;
import java.net.ConnectException;
import java.net.SocketTimeoutException;
import java.net.UnknownHostException;
import org.junit.jupiter.api.Test;

class PlaintextOnImplicitTlsPortRuleTest {
    private final Rule rule = new PlaintextOnImplicitTlsPortRule();

    @Test
    void startTlsClientTimesOutOnPort465() {
        Finding f = assertOnly(rule.judge(Sessions.startTlsConfig(465).greeting(-1).failed(couldNotConnect(465,
            new SocketTimeoutException("Read timed out"))).end()), "plaintext-on-implicit-tls-port", Severity.HIGH,
            "smtp.example.com:465", "set mail.smtp.ssl.enable=true");
        assertTrue(f.message().contains("plaintext with STARTTLS enabled (mail.smtp.ssl.enable is false)"),
            f.message());
        assertTrue(f.message().contains("an implicit-TLS port"), f.message());
        assertTrue(f.message().contains("timed out waiting for the SMTP greeting"), f.message());
    }

    @Test
    void plaintextClientGetsResponseMinusOne() {
        Finding f = assertOnly(rule.judge(SessionFixture.at(Sessions.HOST, 465).greeting(-1)
            .failed(new Exception("Could not connect to SMTP host: smtp.example.com, port: 465, response: -1")).end()),
            "plaintext-on-implicit-tls-port", Severity.HIGH, "smtp.example.com:465", "mail.smtp.ssl.enable=true");
        assertTrue(f.message().contains("got no SMTP greeting"), f.message());
    }

    @Test
    void aMissingGreetingOnANonStandardPortIsReportedWithoutPortClaims() {
        Finding f = assertOnly(rule.judge(SessionFixture.at(Sessions.HOST, 10465).greeting(-1)
            .failed(new Exception("Got bad greeting from SMTP host: smtp.example.com, port: 10465")).end()),
            "plaintext-on-implicit-tls-port", Severity.HIGH, "smtp.example.com:10465", "mail.smtp.ssl.enable=true");
        assertFalse(f.message().contains("an implicit-TLS port"), f.message());
        assertTrue(f.message().contains("got no valid SMTP greeting"), f.message());
    }

    @Test
    void noFindingWhenAGreetingCameOrNoConnectionWasMade() {
        // a plaintext server on 465 that greets: what happened on the wire decides, not the port
        assertNone(rule.judge(Sessions.plaintextSession(SessionFixture.at(Sessions.HOST, 465).auth(), false)));
        assertNone(rule.judge(Sessions.implicitTlsSession(Sessions.implicitTlsConfig(465))));
        assertNone(rule.judge(SessionFixture.at(Sessions.HOST, 465).failed(new Exception(
            "Couldn't connect to host, port: smtp.example.com, 465; timeout -1",
            new ConnectException("Connection refused"))).end()));
        assertNone(rule.judge(SessionFixture.at(Sessions.HOST, 465).failed(new Exception("Unknown SMTP host",
            new UnknownHostException("smtp.example.com"))).end()));
        assertNone(rule.judge(SessionFixture.at(Sessions.HOST, 465).failed(new Exception("Couldn't connect to host",
            new SocketTimeoutException("connect timed out"))).end()));
        // a rejecting server (554 greeting) is no TLS mismatch
        assertNone(rule.judge(SessionFixture.at(Sessions.HOST, 465).greeting(554)
            .failed(new Exception("Got bad greeting from SMTP host: smtp.example.com, port: 465, response: 554"))
            .end()));
    }

    @Test
    void noFindingForASlowServerOnAStartTlsPort() {
        assertNone(rule.judge(Sessions.startTlsConfig(587).greeting(-1).failed(couldNotConnect(587,
            new SocketTimeoutException("Read timed out"))).end()));
        assertNone(rule.judge(SessionFixture.at(Sessions.HOST, 25).greeting(-1).failed(couldNotConnect(25,
            new SocketTimeoutException("Read timed out"))).end()));
    }
}
