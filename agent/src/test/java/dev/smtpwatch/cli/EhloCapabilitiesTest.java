package dev.smtpwatch.cli;

import static dev.smtpwatch.cli.ProbeFixtures.reply;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.List;
import org.junit.jupiter.api.Test;

/** EHLO replies as Postfix, Exchange and old servers send them, and the reply lines they are made of. */
class EhloCapabilitiesTest {
    @Test
    void postfixBeforeTlsOffersStartTlsAndNoAuth() {
        EhloCapabilities postfix = EhloCapabilities.of(reply(250, "localhost", "PIPELINING", "SIZE 10240000",
            "STARTTLS", "ENHANCEDSTATUSCODES", "8BITMIME"));

        assertEquals(List.of("PIPELINING", "SIZE 10240000", "STARTTLS", "ENHANCEDSTATUSCODES", "8BITMIME"),
            postfix.extensions());
        assertTrue(postfix.offers("STARTTLS"));
        assertTrue(postfix.offers("SIZE"));
        assertFalse(postfix.offers("AUTH"));
        assertEquals(List.of(), postfix.authMechanisms());
    }

    @Test
    void authMechanismsFromBothFormsOnceEachInOrder() {
        EhloCapabilities exchange = EhloCapabilities.of(reply(250, "outlook.example", "AUTH LOGIN XOAUTH2",
            "AUTH=login plain", "starttls"));

        assertEquals(List.of("LOGIN", "XOAUTH2", "PLAIN"), exchange.authMechanisms());
        assertTrue(exchange.offers("STARTTLS"), "keywords are case-insensitive");
        assertTrue(exchange.offers("AUTH"));
    }

    @Test
    void aRefusedEhloOffersNothing() {
        EhloCapabilities heloOnly = EhloCapabilities.of(reply(502, "5.5.2 Error: command not recognized"));

        assertEquals(List.of(), heloOnly.extensions());
        assertFalse(heloOnly.offers("STARTTLS"));
    }

    @Test
    void replyLines() {
        SmtpReply.Line more = SmtpReply.parseLine("250-PIPELINING");
        assertEquals(250, more.code);
        assertFalse(more.last);
        assertEquals("PIPELINING", more.text);

        SmtpReply.Line last = SmtpReply.parseLine("220 localhost ESMTP");
        assertTrue(last.last);
        assertEquals("localhost ESMTP", last.text);

        assertTrue(SmtpReply.parseLine("354").last, "a bare code ends the reply");
        assertNull(SmtpReply.parseLine("hello?"), "not SMTP");
        assertNull(SmtpReply.parseLine("220_x"), "not SMTP");
        assertNull(SmtpReply.parseLine("\u0016\u0003\u0001"), "a TLS record is not SMTP");
    }
}
