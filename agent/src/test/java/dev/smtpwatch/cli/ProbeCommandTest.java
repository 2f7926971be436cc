package dev.smtpwatch.cli;

import static dev.smtpwatch.cli.CliHarness.run;
import static org.junit.jupiter.api.Assertions.assertEquals;

import java.io.IOException;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.ServerSocket;
import org.junit.jupiter.api.Test;

/** {@code probe}'s bad input and unreachable servers: one line on stderr, exit 2. */
class ProbeCommandTest {
    @Test
    void badInput() {
        assertOneLine(run("probe"), "smtpwatch: probe needs a server: probe <host:port>, e.g. probe smtp.example.com:587");
        assertOneLine(run("probe", "smtp.example.com"),
            "smtpwatch: 'smtp.example.com' is not host:port (an IPv6 address goes in brackets: [::1]:587)");
        assertOneLine(run("probe", "::1:587"),
            "smtpwatch: '::1:587' is not host:port (an IPv6 address goes in brackets: [::1]:587)");
        assertOneLine(run("probe", "smtp.example.com:70000"),
            "smtpwatch: port must be a number from 1 to 65535, got 'smtp.example.com:70000'");
        assertOneLine(run("probe", "smtp.example.com:587", "--timeout", "0"),
            "smtpwatch: --timeout must be a number from 1 to 600, got '0'");
        assertOneLine(run("probe", "smtp.example.com:587", "--timeout"), "smtpwatch: --timeout needs a value");
        assertOneLine(run("probe", "smtp.example.com:587", "--starttls"),
            "smtpwatch: unknown option '--starttls' for probe (valid: --json, --timeout, --name)");
        assertOneLine(run("probe", "a:1", "b:2"), "smtpwatch: probe takes one host:port, got 'a:1' and 'b:2'");
    }

    @Test
    void unknownHost() {
        assertOneLine(run("probe", "no-such-host.invalid:587"),
            "smtpwatch: cannot probe no-such-host.invalid:587: unknown host no-such-host.invalid");
    }

    @Test
    void connectionRefused() throws IOException {
        int port;
        try (ServerSocket closed = new ServerSocket()) {
            closed.bind(new InetSocketAddress(InetAddress.getByName("127.0.0.1"), 0));
            port = closed.getLocalPort();
        }
        assertOneLine(run("probe", "127.0.0.1:" + port, "--json"),
            "smtpwatch: cannot probe 127.0.0.1:" + port + ": connection refused");
    }

    private static void assertOneLine(CliHarness.Run run, String line) {
        assertEquals(2, run.exitCode(), run::toString);
        assertEquals("", run.out(), run::toString);
        assertEquals(line + System.lineSeparator(), run.err(), run::toString);
    }
}
