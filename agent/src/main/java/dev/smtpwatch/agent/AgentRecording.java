package dev.smtpwatch.agent;

import dev.smtpwatch.export.AppLogLines;
import dev.smtpwatch.export.ExportPipeline;
import dev.smtpwatch.export.LogExporter;
import dev.smtpwatch.export.LogLines;
import dev.smtpwatch.export.RepeatLimiter;
import dev.smtpwatch.export.ReportFileExporter;
import dev.smtpwatch.export.ReportLine;
import dev.smtpwatch.export.SessionExporter;
import dev.smtpwatch.export.StderrLogLines;
import dev.smtpwatch.export.StuckSessionWarnings;
import dev.smtpwatch.instrumentation.AdviceErrors;
import dev.smtpwatch.instrumentation.javamail.JavaMailHooks;
import dev.smtpwatch.instrumentation.spring.SpringHooks;
import dev.smtpwatch.otel.OtelCallerContext;
import dev.smtpwatch.otel.OtelExporter;
import dev.smtpwatch.rules.EnforcementPolicy;
import dev.smtpwatch.rules.RuleCatalog;
import dev.smtpwatch.session.AgentThreads;
import dev.smtpwatch.session.SessionRecorder;
import dev.smtpwatch.session.SmtpSession;
import dev.smtpwatch.session.StuckSessionListener;
import dev.smtpwatch.session.StuckWait;
import java.time.Clock;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;
import org.slf4j.Logger;

/**
 * The recorder, the rules, the exporters and the shutdown hook, put together when the first instrumented class
 * arrives: a class of its own so that {@code premain} neither loads nor verifies any of it.
 */
public final class AgentRecording {
    private AgentRecording() {
    }

    /**
     * Built when the first instrumented class arrives, so that an app that never sends mail loads none of it
     * (docs/performance.md). The OpenTelemetry Java agent extension builds the same.
     *
     * @param insideOtelJavaagent spans and metrics go through the OpenTelemetry Java agent smtpwatch runs in,
     *                            never through the app's own API or smtpwatch's embedded SDK
     */
    public static void start(AgentConfig config, Logger log, boolean insideOtelJavaagent) {
        AdviceErrors.reportTo(log, config.debug());
        // OpenTelemetry: nothing of it is loaded here; the exporter chooses its mode at the first session.
        OtelCallerContext otelContext = !config.otel() ? null
            : insideOtelJavaagent ? OtelCallerContext.javaagentOnly() : new OtelCallerContext();
        LogLines lines = config.log().toApp() ? new AppLogLines(log) : new StderrLogLines(log);
        List<SessionExporter> exporters = exporters(config, log, lines);
        if (otelContext != null) {
            // First: in an app that exits right after sending, the span races the app's own SDK shutdown.
            exporters.add(0, new OtelExporter(log, otelContext,
                SmtpWatchAgent.class.getPackage().getImplementationVersion()));
        }
        final ExportPipeline pipeline = new ExportPipeline(
            RuleCatalog.standard(config.certExpiryDays(), Clock.systemUTC()), exporters, log);
        final SessionRecorder recorder = new SessionRecorder(FailingSink.wrapIfAsked(pipeline), config.mask(),
            config.commandsMax());
        if (config.stuckSeconds() > 0) {
            // the watchdog logs while a session hangs; with log=off the report and span still get the finding
            recorder.watchStuckSessions(TimeUnit.SECONDS.toMillis(config.stuckSeconds()),
                config.log() == AgentConfig.LogLevel.OFF ? notLogged() : new StuckSessionWarnings(lines));
        }
        if (otelContext != null) {
            recorder.callerContext(otelContext);
        }
        if (!config.enforce().isEmpty()) {
            recorder.enforce(new EnforcementPolicy(config.enforce(), config.enforceAllow()));
        }
        JavaMailHooks.install(recorder);
        SpringHooks.install(recorder);
        Runtime.getRuntime().addShutdownHook(AgentThreads.newThread("smtpwatch-shutdown", new Runnable() {
            @Override
            public void run() {
                recorder.endAllOpen();
                pipeline.close();
            }
        }, false));
    }

    /** With log=off the watchdog still marks the stuck session for the report and the span; it logs nothing. */
    private static StuckSessionListener notLogged() {
        return new StuckSessionListener() {
            @Override
            public void stuck(SmtpSession session, StuckWait wait) {
            }
        };
    }

    private static List<SessionExporter> exporters(AgentConfig config, Logger log, LogLines lines) {
        List<SessionExporter> exporters = new ArrayList<SessionExporter>();
        if (config.report() != null) {
            exporters.add(new ReportFileExporter(config.report(), config.reportMaxBytes(), new ReportLine(), log));
        }
        if (config.log() != AgentConfig.LogLevel.OFF) {
            exporters.add(new LogExporter(lines, config.log().perSession(),
                new RepeatLimiter(1, TimeUnit.MINUTES)));
        }
        return exporters;
    }
}
