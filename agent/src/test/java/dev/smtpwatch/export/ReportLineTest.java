package dev.smtpwatch.export;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.smtpwatch.rules.Finding;
import dev.smtpwatch.rules.Severity;
import dev.smtpwatch.session.MailLibrary;
import dev.smtpwatch.session.ServerCertificate;
import dev.smtpwatch.session.SessionFixture;
import dev.smtpwatch.session.SmtpSession;
import java.time.Instant;
import java.util.Collections;
import org.junit.jupiter.api.Test;

class ReportLineTest {
    private static final ObjectMapper JSON = new ObjectMapper();

    private static SmtpSession startTlsSession() {
        return SessionFixture.at("smtp.example.com", 587).startTls(true, false).auth()
            .greeting(220)
            .command("EHLO client", 250, "250-smtp.example.com\n250 STARTTLS\n")
            .command("STARTTLS", 220)
            .tlsEstablished("TLSv1.3", "TLS_AES_128_GCM_SHA256")
            .serverCertificates(new ServerCertificate("CN=smtp.example.com", "CN=Example CA", 1798761600000L, true),
                new ServerCertificate("CN=Example CA", "CN=Example Root", 1900000000000L, false))
            .command("EHLO client", 250)
            .command("AUTH PLAIN AHVzZXIAcGFzcw==", 235)
            .command("MAIL FROM:<alice@example.com>", 250)
            .command("RCPT TO:<bob@example.org>", 250)
            .command("DATA", 354)
            .messageAccepted("4Xb2Qk0Z3Tz9")
            .command("QUIT", 221)
            .end();
    }

    @Test
    void timesAreUtcWithMillisecondsAsTheSchemaHasThem() {
        assertEquals("1970-01-01T00:00:00.000Z", ReportLine.isoUtc(0));
        for (String time : new String[] {"2026-12-03T05:07:09.045Z", "2024-02-29T23:59:59.999Z",
                                         "1969-12-31T23:59:59.999Z", "9999-12-31T23:59:59.000Z"}) {
            assertEquals(time, ReportLine.isoUtc(Instant.parse(time).toEpochMilli()));
        }
    }

    @Test
    void aStartTlsSessionAsTheSchemaDescribesIt() throws Exception {
        Finding finding = new Finding("starttls-not-required", Severity.MEDIUM, "m", "f");
        JsonNode line = JSON.readTree(new ReportLine().format(startTlsSession(), Collections.singletonList(finding)));

        assertEquals("smtpwatch.session/1", line.get("schema").asText());
        assertTrue(line.get("time").asText().matches("\\d{4}-\\d\\d-\\d\\dT\\d\\d:\\d\\d:\\d\\d\\.\\d{3}Z"));
        assertTrue(line.get("durationMs").isNumber());
        assertEquals("javax.mail", line.at("/library/name").asText());
        assertEquals("smtp.example.com", line.at("/server/address").asText());
        assertEquals(587, line.at("/server/port").asInt());
        assertTrue(line.at("/config/starttls.enable").asBoolean());
        assertFalse(line.at("/config/starttls.required").asBoolean());
        assertEquals("starttls", line.at("/tls/mode").asText());
        assertTrue(line.at("/tls/established").asBoolean());
        assertEquals("TLSv1.3", line.at("/tls/protocol").asText());
        assertEquals("TLS_AES_128_GCM_SHA256", line.at("/tls/cipher").asText());
        assertEquals("[{\"verb\":\"EHLO\",\"tls\":false,\"reply\":250},{\"verb\":\"STARTTLS\",\"tls\":false,\"reply\":220},"
            + "{\"verb\":\"EHLO\",\"tls\":true,\"reply\":250},{\"verb\":\"AUTH\",\"arg\":\"PLAIN\",\"tls\":true,\"reply\":235},"
            + "{\"verb\":\"MAIL\",\"arg\":\"FROM:<a***@example.com>\",\"tls\":true,\"reply\":250},"
            + "{\"verb\":\"RCPT\",\"arg\":\"TO:<b***@example.org>\",\"tls\":true,\"reply\":250},"
            + "{\"verb\":\"DATA\",\"tls\":true,\"reply\":354},{\"verb\":\"QUIT\",\"tls\":true,\"reply\":221}]",
            line.get("commands").toString());
        assertEquals(220, line.get("greeting").asInt());
        assertEquals("{\"mechanism\":\"PLAIN\",\"tls\":true,\"outcome\":\"success\"}", line.get("auth").toString());
        assertEquals("{\"subject\":\"CN=smtp.example.com\",\"issuer\":\"CN=Example CA\","
            + "\"notAfter\":\"2027-01-01T00:00:00.000Z\"}", line.at("/tls/certificate").toString());
        assertEquals(1, line.get("logins").asInt());
        assertEquals(1, line.get("messages").asInt());
        assertEquals("[\"4Xb2Qk0Z3Tz9\"]", line.get("queueIds").toString());
        assertEquals("sent", line.get("outcome").asText());
        assertFalse(line.has("error"));
        assertEquals("starttls-not-required", line.at("/findings/0/id").asText());
        assertEquals("medium", line.at("/findings/0/severity").asText());
    }

    @Test
    void oneWriterGivesEachSessionItsOwnLibraryAndSettings() throws Exception {
        ReportLine writer = new ReportLine();
        SmtpSession angusImplicitTls = SessionFixture.at("mx.example.net", 465).library(MailLibrary.ANGUS).sslEnable()
            .protocol("smtps").greeting(220).command("EHLO client", 250).end();
        SmtpSession javaxStartTls = startTlsSession();

        for (int i = 0; i < 2; i++) {
            JsonNode first = JSON.readTree(writer.format(javaxStartTls, Collections.<Finding>emptyList()));
            JsonNode second = JSON.readTree(writer.format(angusImplicitTls, Collections.<Finding>emptyList()));

            assertEquals("javax.mail", first.at("/library/name").asText());
            assertEquals("smtp", first.at("/config/protocol").asText());
            assertTrue(first.at("/config/starttls.enable").asBoolean());
            assertFalse(first.at("/config/ssl.enable").asBoolean());
            assertEquals("angus-mail", second.at("/library/name").asText());
            assertEquals("smtps", second.at("/config/protocol").asText());
            assertFalse(second.at("/config/starttls.enable").asBoolean());
            assertTrue(second.at("/config/ssl.enable").asBoolean());
        }
    }

    @Test
    void errorMessagesAreOneEscapedLineAndNoAuthPayloadAppears() throws Exception {
        SmtpSession failed = SessionFixture.at("mx.example.net", 465).sslEnable()
            .greeting(-1)
            .failed(new IllegalStateException("Could not connect to SMTP host: mx.example.net, port: 465;\n"
                + "  nested exception is:\r\n\tjavax.net.ssl.SSLException: Unrecognized SSL message\u0007"))
            .end();
        String text = new ReportLine().format(failed, Collections.<Finding>emptyList());

        assertFalse(text.contains("\n") || text.contains("\r") || text.contains("\t") || text.contains("\u0007"));
        JsonNode line = JSON.readTree(text);
        assertEquals("failed", line.get("outcome").asText());
        assertEquals("implicit", line.at("/tls/mode").asText());
        assertFalse(line.at("/tls/established").asBoolean());
        assertEquals(-1, line.get("greeting").asInt());
        assertEquals("java.lang.IllegalStateException", line.at("/error/type").asText());
        assertTrue(line.at("/error/message").asText().contains("Unrecognized SSL message"));
        assertEquals("[]", line.get("findings").toString());

        assertFalse(new ReportLine().format(startTlsSession(), Collections.<Finding>emptyList()).contains("AHVzZXIAcGFzcw"));
    }
}
