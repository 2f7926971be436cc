package dev.smtpwatch.bench;

import dev.smtpwatch.agent.AgentLog;
import dev.smtpwatch.export.ReportFileExporter;
import dev.smtpwatch.export.ReportLine;
import dev.smtpwatch.rules.Finding;
import dev.smtpwatch.rules.RuleCatalog;
import dev.smtpwatch.session.EntryCall;
import dev.smtpwatch.session.MailLibrary;
import dev.smtpwatch.session.SessionRecorder;
import dev.smtpwatch.session.SessionSink;
import dev.smtpwatch.session.SmtpConfig;
import dev.smtpwatch.session.SmtpSession;
import java.io.IOException;
import java.io.OutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Clock;
import java.util.List;
import java.util.Set;
import java.util.concurrent.TimeUnit;
import org.openjdk.jmh.annotations.Benchmark;
import org.openjdk.jmh.annotations.BenchmarkMode;
import org.openjdk.jmh.annotations.Fork;
import org.openjdk.jmh.annotations.Measurement;
import org.openjdk.jmh.annotations.Mode;
import org.openjdk.jmh.annotations.OutputTimeUnit;
import org.openjdk.jmh.annotations.Scope;
import org.openjdk.jmh.annotations.Setup;
import org.openjdk.jmh.annotations.State;
import org.openjdk.jmh.annotations.TearDown;
import org.openjdk.jmh.annotations.Warmup;
import org.slf4j.Logger;

/**
 * What one SMTP session costs the agent, without the network: the recorder fed the calls the advice makes for a
 * STARTTLS + AUTH session sending one message (on the app's thread), the rules judging it and the report line
 * written (on the export thread). Run with {@code -prof gc} for the bytes allocated per session.
 */
@State(Scope.Thread)
@BenchmarkMode(Mode.AverageTime)
@OutputTimeUnit(TimeUnit.MICROSECONDS)
@Warmup(iterations = 3, time = 1)
@Measurement(iterations = 5, time = 1)
@Fork(1)
public class SessionPipelineBenchmark {
    private static final String[][] CONVERSATION = {
        {"EHLO client.example.com", "250"}, {"STARTTLS", "220"}, {"EHLO client.example.com", "250"},
        {"AUTH PLAIN", "235"}, {"MAIL FROM:<sender@example.com>", "250"}, {"RCPT TO:<recipient@example.org>", "250"},
        {"DATA", "354"}, {".", "250"}, {"QUIT", "221"}};
    private static final byte[][] LINES = new byte[CONVERSATION.length][];

    static {
        for (int i = 0; i < CONVERSATION.length; i++) {
            LINES[i] = (CONVERSATION[i][0] + "\r\n").getBytes(StandardCharsets.US_ASCII);
        }
    }

    private final SmtpConfig config = new SmtpConfig("smtp", true, true, false, true, true, false, null, true,
        null, Set.of("mail.smtp.host", "mail.smtp.port", "mail.smtp.starttls.enable"), 10000, 30000, 30000);
    private final MailLibrary library = new MailLibrary(MailLibrary.ANGUS, Object.class);
    private final RuleCatalog rules = RuleCatalog.standard(21, Clock.systemUTC());
    private SmtpSession ended;
    private SessionRecorder recorder;
    private ReportFileExporter report;
    private Path reportFile;

    @Setup
    public void setUp() throws IOException {
        recorder = new SessionRecorder(new SessionSink() {
            @Override
            public void sessionEnded(SmtpSession session) {
                ended = session;
            }

            @Override
            public void entryEnded(EntryCall entry) {
            }

            @Override
            public void connectAbandoned(SmtpSession attempt) {
            }
        }, true, 200);
        reportFile = Files.createTempFile("smtpwatch-jmh", ".jsonl");
        Logger quiet = AgentLog.create(false, new PrintStream(OutputStream.nullOutputStream()));
        // the default report.maxMB (100): the file rotates as it would in an app
        report = new ReportFileExporter(reportFile.toString(), 100L * 1024 * 1024, new ReportLine(), quiet);
    }

    @TearDown
    public void tearDown() throws IOException {
        report.close();
        Files.deleteIfExists(reportFile);
    }

    /** The app thread's share: one session recorded, from connect to close. */
    @Benchmark
    public SmtpSession record() {
        Object connection = new Object();
        recorder.connectStarted(connection, library, "mail.example.net", 587, config);
        recorder.replyRead(connection, 220, "220 mail.example.net ESMTP", null);
        for (int i = 0; i < LINES.length; i++) {
            recorder.commandSent(connection, LINES[i], null);
            int code = Integer.parseInt(CONVERSATION[i][1]);
            recorder.replyRead(connection, code, CONVERSATION[i][1] + " ok", null);
        }
        recorder.connectEnded(connection, null, null);
        recorder.connectionClosed(connection);
        return ended;
    }

    /** Recorded and judged by every rule. */
    @Benchmark
    public List<Finding> recordAndJudge() {
        return rules.judge(record());
    }

    /**
     * Recorded, judged and written to the JSON Lines report: everything the agent does per session but OTel. Each
     * session is its own batch here (a write and its file lock per line), the export thread's worst case: under a
     * steady stream of sessions it writes several per batch.
     */
    @Benchmark
    public SmtpSession recordJudgeAndWrite() {
        SmtpSession session = record();
        report.export(session, rules.judge(session));
        report.batchEnded();
        return session;
    }
}
