package dev.smtpwatch.it.matrix;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import dev.smtpwatch.it.Report;
import dev.smtpwatch.it.postfix.PostfixServer;
import dev.smtpwatch.it.postfix.PostfixServer.Connection;
import java.util.List;
import org.junit.jupiter.api.Test;

/** The referee itself, on log lines as Postfix 3.7 writes them: it must see every kind of disagreement. */
class RefereeTest {
    private static final String P = "Nov 23 14:30:47 localhost postfix/submission/smtpd[2509]: ";
    private static final List<String> CLEAN_LOG = List.of(
            P + "connect from localhost[127.0.0.1]:32864",
            P + "Anonymous TLS connection established from localhost[127.0.0.1]:32864: TLSv1.3 with cipher "
                    + "TLS_AES_256_GCM_SHA384 (256/256 bits) key-exchange X25519 server-signature ECDSA (prime256v1)",
            P + "4Xb2Qk0Z3Tz9: client=localhost[127.0.0.1]:32864, sasl_method=LOGIN, sasl_username=smtpwatch",
            P + "disconnect from localhost[127.0.0.1]:32864 ehlo=2 starttls=1 auth=1 mail=1 rcpt=1 data=1 quit=1 "
                    + "commands=8");
    private static final String CLEAN_LINE = "{\"tls\":{\"mode\":\"starttls\",\"established\":true,"
            + "\"protocol\":\"TLSv1.3\",\"cipher\":\"TLS_AES_256_GCM_SHA384\"},"
            + "\"commands\":[{\"verb\":\"EHLO\",\"tls\":false,\"reply\":250},"
            + "{\"verb\":\"STARTTLS\",\"tls\":false,\"reply\":220},{\"verb\":\"EHLO\",\"tls\":true,\"reply\":250},"
            + "{\"verb\":\"AUTH\",\"arg\":\"LOGIN\",\"tls\":true,\"reply\":235},"
            + "{\"verb\":\"MAIL\",\"tls\":true,\"reply\":250},{\"verb\":\"RCPT\",\"tls\":true,\"reply\":250},"
            + "{\"verb\":\"DATA\",\"tls\":true,\"reply\":354},{\"verb\":\"QUIT\",\"tls\":true,\"reply\":221}],"
            + "\"auth\":{\"mechanism\":\"LOGIN\",\"tls\":true,\"outcome\":\"success\"},"
            + "\"logins\":1,\"queueIds\":[\"4Xb2Qk0Z3Tz9\"],\"findings\":[]}";

    private static Connection connection(List<String> log) {
        List<Connection> all = PostfixServer.parseConnections(log);
        assertEquals(1, all.size());
        return all.get(0);
    }

    private static List<String> judge(String line) {
        return Referee.disagreements(Report.parse(line), connection(CLEAN_LOG));
    }

    @Test
    void agreesWithAMatchingSession() {
        assertEquals(List.of(), judge(CLEAN_LINE));
    }

    @Test
    void seesAWrongLoginCount() {
        String line = CLEAN_LINE.replace("\"logins\":1", "\"logins\":2");
        assertTrue(judge(line).toString().contains("logins: report 2, Postfix auth=1"), judge(line).toString());
    }

    @Test
    void seesAMissingCommand() {
        String line = CLEAN_LINE.replace("{\"verb\":\"RCPT\",\"tls\":true,\"reply\":250},", "");
        assertTrue(judge(line).toString().contains("commands per verb"), judge(line).toString());
    }

    @Test
    void seesAWrongReplyClass() {
        String line = CLEAN_LINE.replace("\"AUTH\",\"arg\":\"LOGIN\",\"tls\":true,\"reply\":235",
                "\"AUTH\",\"arg\":\"LOGIN\",\"tls\":true,\"reply\":535");
        assertTrue(judge(line).toString().contains("accepted commands"), judge(line).toString());
    }

    @Test
    void seesAWrongTlsFlag() {
        String line = CLEAN_LINE.replace("{\"verb\":\"EHLO\",\"tls\":true", "{\"verb\":\"EHLO\",\"tls\":false");
        assertTrue(judge(line).toString().contains("tls should be true"), judge(line).toString());
    }

    @Test
    void seesAnotherCipherProtocolOrMechanism() {
        assertTrue(judge(CLEAN_LINE.replace("TLS_AES_256_GCM_SHA384", "TLS_AES_128_GCM_SHA256")).toString()
                .contains("tls.cipher"));
        assertTrue(judge(CLEAN_LINE.replace("\"TLSv1.3\"", "\"TLSv1.2\"")).toString().contains("tls.protocol"));
        assertTrue(judge(CLEAN_LINE.replace("\"mechanism\":\"LOGIN\"", "\"mechanism\":\"PLAIN\"")).toString()
                .contains("auth.mechanism"));
        assertTrue(judge(CLEAN_LINE.replace("\"queueIds\":[\"4Xb2Qk0Z3Tz9\"],", "")).toString()
                .contains("queueIds"));
    }

    @Test
    void seesTlsThatPostfixNeverEstablished() {
        List<String> plainLog = List.of(CLEAN_LOG.get(0), CLEAN_LOG.get(2), CLEAN_LOG.get(3));
        List<String> problems = Referee.disagreements(Report.parse(CLEAN_LINE), connection(plainLog));
        assertTrue(problems.toString().contains("Postfix logged no TLS connection"), problems.toString());
    }

    @Test
    void acceptsANameRejectedAfterTheHandshakeOnlyAsHostnameMismatch() {
        List<String> log = List.of(CLEAN_LOG.get(0), CLEAN_LOG.get(1),
                P + "lost connection after STARTTLS from localhost[127.0.0.1]:32864",
                P + "disconnect from localhost[127.0.0.1]:32864 ehlo=1 starttls=1 commands=2");
        String rejected = "{\"tls\":{\"mode\":\"starttls\",\"established\":false},"
                + "\"commands\":[{\"verb\":\"EHLO\",\"tls\":false,\"reply\":250},"
                + "{\"verb\":\"STARTTLS\",\"tls\":false,\"reply\":220}],\"logins\":0,\"findings\":[%s]}";
        JsonNode mismatch = Report.parse(String.format(rejected,
                "{\"id\":\"tls-handshake-failed\",\"detail\":\"hostname-mismatch\"}"));
        assertEquals(List.of(), Referee.disagreements(mismatch, connection(log)));
        JsonNode untrusted = Report.parse(String.format(rejected,
                "{\"id\":\"tls-handshake-failed\",\"detail\":\"untrusted-certificate\"}"));
        assertTrue(Referee.disagreements(untrusted, connection(log)).toString()
                .contains("the report says TLS was not established"));
    }
}
