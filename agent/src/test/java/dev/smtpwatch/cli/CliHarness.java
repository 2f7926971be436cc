package dev.smtpwatch.cli;

import dev.smtpwatch.export.ReportLine;
import dev.smtpwatch.rules.RuleCatalog;
import dev.smtpwatch.session.SessionFixture;
import dev.smtpwatch.session.SmtpSession;
import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;

/** Report files written by the agent's own formatter, and CLI runs with their output captured. */
final class CliHarness {
    private CliHarness() {
    }

    /** AUTH and a message in plaintext to relay.example.com:25: cleartext-auth (critical) among others. */
    static SmtpSession plaintextWithAuth() {
        return SessionFixture.at("relay.example.com", 25).auth().greeting(220).ehlo(false).authenticate(235)
            .sendMessage().quit().end();
    }

    /** STARTTLS to smtp.example.com:587, required and with the identity check: a clean session. */
    static SmtpSession cleanStartTls() {
        return SessionFixture.at("smtp.example.com", 587).library("angus-mail").startTls(true, true).auth()
            .greeting(220).ehlo(true).upgradeToTls("TLSv1.3", "TLS_AES_128_GCM_SHA256").authenticate(235)
            .sendMessage().quit().end();
    }

    /** STARTTLS to smtp.example.com:587 without starttls.required: starttls-not-required (medium). */
    static SmtpSession startTlsNotRequired() {
        return SessionFixture.at("smtp.example.com", 587).library("angus-mail").startTls(true, false).auth()
            .greeting(220).ehlo(true).upgradeToTls("TLSv1.3", "TLS_AES_128_GCM_SHA256").authenticate(235)
            .sendMessage().quit().end();
    }

    /** A connect to smtp.example.com:587 that failed on AUTH (535): auth-failed (low) among others. */
    static SmtpSession authRejected() {
        return SessionFixture.at("smtp.example.com", 587).library("angus-mail").startTls(true, true).auth()
            .greeting(220).ehlo(true).upgradeToTls("TLSv1.3", "TLS_AES_128_GCM_SHA256").authenticate(535)
            .failed(new IllegalStateException("535 5.7.8 Authentication failed")).end();
    }

    /** Writes the sessions, judged by the standard rules, as the agent's report file would hold them. */
    static Path report(Path dir, SmtpSession... sessions) throws IOException {
        List<String> lines = new ArrayList<>();
        for (SmtpSession session : sessions) {
            lines.add(new ReportLine().format(session, RuleCatalog.standard().judge(session)));
        }
        return Files.write(dir.resolve("report.jsonl"), lines, StandardCharsets.UTF_8);
    }

    static Path write(Path dir, String name, String... lines) throws IOException {
        return Files.write(dir.resolve(name), List.of(lines), StandardCharsets.UTF_8);
    }

    static Run run(String... args) {
        return runWithStdin("", args);
    }

    /** A run whose stdin holds {@code stdin}, for {@code -} among the report arguments. */
    static Run runWithStdin(String stdin, String... args) {
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        ByteArrayOutputStream err = new ByteArrayOutputStream();
        int exitCode = SmtpWatchCli.run(args,
            new ByteArrayInputStream(stdin.getBytes(StandardCharsets.UTF_8)),
            new PrintStream(out, true, StandardCharsets.UTF_8),
            new PrintStream(err, true, StandardCharsets.UTF_8));
        return new Run(exitCode, out.toString(StandardCharsets.UTF_8), err.toString(StandardCharsets.UTF_8));
    }

    /** Exit code and output of one CLI run. */
    record Run(int exitCode, String out, String err) {
        List<String> outLines() {
            return out.lines().toList();
        }

        @Override
        public String toString() {
            return "exit " + exitCode + "\nstdout:\n" + out + "\nstderr:\n" + err;
        }
    }
}
