package dev.smtpwatch.rules;

import static dev.smtpwatch.rules.Sessions.assertNone;
import static dev.smtpwatch.rules.Sessions.assertOnly;
import static dev.smtpwatch.rules.Sessions.couldNotConnect;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.smtpwatch.session.MailLibrary;
import dev.smtpwatch.session.SessionFixture;
import dev.smtpwatch.session.SmtpSession;
import java.io.IOException;
import java.net.ConnectException;
import java.net.SocketException;
import java.security.cert.CertPathBuilderException;
import java.security.cert.CertPathValidatorException;
import java.security.cert.CertificateException;
import java.security.cert.CertificateExpiredException;
import java.util.List;
import javax.net.ssl.SSLException;
import javax.net.ssl.SSLHandshakeException;
import org.junit.jupiter.api.Test;

class TlsHandshakeFailedRuleTest {
    private final Rule rule = new TlsHandshakeFailedRule();

    private static Throwable handshake(String message, Throwable cause) {
        SSLHandshakeException e = new SSLHandshakeException(message);
        e.initCause(cause);
        return e;
    }

    /** STARTTLS accepted with 220, then the handshake threw. */
    private static SmtpSession startTlsFailing(SessionFixture config, Throwable thrown) {
        return config.greeting(220).ehlo(true).command("STARTTLS", 220).failed(new Exception(
            "Could not convert socket to TLS", thrown)).end();
    }

    private Finding assertDetail(SmtpSession session, String detail, String fix) {
        Finding f = assertOnly(rule.judge(session), "tls-handshake-failed", Severity.HIGH,
            session.serverAddress().contains(":") ? "[" + session.serverAddress() + "]" : session.serverAddress(),
            fix);
        assertEquals(detail, f.detail());
        assertTrue(f.message().contains(SessionFacts.where(session)), f.message());
        assertTrue(f.message().contains("(" + detail + ")"), f.message());
        return f;
    }

    @Test
    void untrustedCertificate() {
        Finding f = assertDetail(startTlsFailing(Sessions.startTlsConfig(587), handshake(
            "PKIX path building failed: unable to find valid certification path to requested target",
            new CertPathBuilderException("unable to find valid certification path to requested target"))),
            "untrusted-certificate", "-Djavax.net.ssl.trustStore=<path>");
        assertTrue(f.message().startsWith("the STARTTLS handshake with smtp.example.com:587 failed"), f.message());
        assertTrue(f.fix().contains("never mail.smtp.ssl.trust=*"), f.fix());
    }

    @Test
    void expiredCertificateWinsOverTheGenericPathValidationError() {
        assertDetail(startTlsFailing(Sessions.startTlsConfig(587), handshake(
            "PKIX path validation failed: java.security.cert.CertPathValidatorException: validity check failed",
            new CertPathValidatorException("validity check failed",
                new CertificateExpiredException("NotAfter: Sat Jan 01 00:00:00 UTC 2022")))),
            "expired-certificate", "renew the certificate of the server at smtp.example.com:587");
    }

    @Test
    void hostnameMismatchFromComSunMailAndFromTheJdk() {
        assertDetail(Sessions.implicitTlsConfig(465).failed(couldNotConnect(465,
            new IOException("Can't verify identity of server: smtp.example.com"))).end(), "hostname-mismatch",
            "connect by a host name the server's certificate lists");
        assertDetail(Sessions.implicitTlsConfig(465).library(MailLibrary.ANGUS).failed(couldNotConnect(465,
            handshake("No subject alternative DNS name matching smtp.example.com found.",
                new CertificateException("No subject alternative DNS name matching smtp.example.com found.")))).end(),
            "hostname-mismatch", "connect by a host name");
    }

    @Test
    void comSunMailAgainstAnIpAddressIsToldToUseADnsName() {
        Finding f = assertDetail(SessionFixture.at("127.0.0.1", 465).sslEnable().checkServerIdentity(true)
            .failed(couldNotConnect(465, new IOException("Can't verify identity of server: 127.0.0.1"))).end(),
            "hostname-mismatch", "connect by a DNS name");
        assertTrue(f.message().contains("127.0.0.1:465"), f.message());
    }

    @Test
    void protocolVersion() {
        assertDetail(startTlsFailing(Sessions.startTlsConfig(587), new SSLHandshakeException(
            "No appropriate protocol (protocol is disabled or cipher suites are inappropriate)")),
            "protocol-version", "set mail.smtp.ssl.protocols=TLSv1.2 TLSv1.3");
        assertDetail(startTlsFailing(Sessions.startTlsConfig(587), new SSLHandshakeException(
            "Received fatal alert: protocol_version")), "protocol-version", "mail.smtp.ssl.protocols=");
    }

    @Test
    void noSharedCipher() {
        assertDetail(startTlsFailing(Sessions.startTlsConfig(587), new SSLHandshakeException(
            "Received fatal alert: handshake_failure")), "no-shared-cipher", "set mail.smtp.ssl.ciphersuites=");
    }

    @Test
    void connectionReset() {
        assertDetail(startTlsFailing(Sessions.startTlsConfig(587), new SocketException("Connection reset")),
            "connection-reset", "no firewall or TLS proxy");
        assertDetail(Sessions.implicitTlsConfig(465).failed(couldNotConnect(465, new SSLHandshakeException(
            "Remote host terminated the handshake"))).end(), "connection-reset", "465: mail.smtp.ssl.enable=true");
    }

    @Test
    void anythingElseIsOther() {
        Finding f = assertDetail(startTlsFailing(Sessions.startTlsConfig(587), new SSLException("bad record MAC")),
            "other", "-Djavax.net.debug=ssl:handshake");
        assertTrue(f.message().contains("STARTTLS handshake"), f.message());
    }

    @Test
    void ipv6AddressesAreBracketed() {
        assertDetail(SessionFixture.at("2001:db8::25", 465).sslEnable().failed(couldNotConnect(465,
            new SocketException("Connection reset"))).end(), "connection-reset", "[2001:db8::25]:465");
    }

    @Test
    void noFindingWhenTlsWorkedWasNeverStartedOrTheServerSpokePlaintext() {
        assertNone(rule.judge(Sessions.startTlsSession(Sessions.startTlsConfig(587))));
        assertNone(rule.judge(Sessions.implicitTlsSession(Sessions.implicitTlsConfig(465))));
        // STARTTLS refused: starttls-unavailable, no handshake was started
        assertNone(rule.judge(Sessions.startTlsConfig(587).greeting(220).ehlo(true).command("STARTTLS", 454,
            "454 TLS not available").failed(new Exception("454 TLS not available")).end()));
        // no TCP connection at all
        assertNone(rule.judge(Sessions.implicitTlsConfig(465).failed(couldNotConnect(465,
            new ConnectException("Connection refused"))).end()));
        // implicit TLS answered in plaintext: implicit-tls-on-starttls-port, not both
        List<Finding> findings = rule.judge(Sessions.implicitTlsConfig(587).failed(couldNotConnect(587,
            new SSLException("Unrecognized SSL message, plaintext connection?"))).end());
        assertNone(findings);
    }
}
