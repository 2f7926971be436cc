package dev.smtpwatch.agent;

import java.lang.instrument.Instrumentation;
import java.util.concurrent.atomic.AtomicBoolean;

/**
 * Entry point for {@code -javaagent} and for runtime attach. Never throws into the JVM's start-up. It loads as
 * little as it can: every app pays for this class, mail or not; the recording is started by {@link AgentRecording}.
 */
public final class SmtpWatchAgent {
    private static final AtomicBoolean STARTED = new AtomicBoolean();

    private SmtpWatchAgent() {
    }

    public static void premain(String agentArgs, Instrumentation instrumentation) {
        start(agentArgs, instrumentation, false);
    }

    public static void agentmain(String agentArgs, Instrumentation instrumentation) {
        start(agentArgs, instrumentation, true);
    }

    private static void start(String agentArgs, Instrumentation instrumentation, boolean attachedAtRuntime) {
        if (!STARTED.compareAndSet(false, true)) {
            System.err.println("WARN smtpwatch is already attached to this JVM; the second attach was ignored");
            return;
        }
        try {
            String recording = RecordingClaim.claim(RecordingClaim.STANDALONE_AGENT);
            if (recording != null) {
                System.err.println("WARN smtpwatch " + RecordingClaim.idleWarning(RecordingClaim.STANDALONE_AGENT,
                    recording));
                return;
            }
            final AgentConfig config = AgentConfig.parse(agentArgs, System.getProperties(), System.getenv());
            final DeferredLog log = new DeferredLog(config.debug());
            for (String warning : config.warnings()) {
                log.get().warn(warning);
            }
            new TransportInstaller(log).install(instrumentation, attachedAtRuntime, new Runnable() {
                @Override
                public void run() {
                    AgentRecording.start(config, log.get(), false);
                }
            });
            if (config.debug()) {
                log.get().debug("started with report={} report.maxMB={} otel={} log={} mask={} commands.max={}"
                    + " stuck.seconds={} cert.expiry.days={} enforce={} enforce.allow={}", config.report(),
                    config.reportMaxBytes() / (1024.0 * 1024), config.otel() ? "on" : "off", config.log(),
                    config.mask() ? "on" : "off", config.commandsMax(), config.stuckSeconds(),
                    config.certExpiryDays(), config.enforce().isEmpty() ? "off" : String.join(",", config.enforce()),
                    String.join(",", config.enforceAllow()));
            }
        } catch (Throwable t) {
            System.err.println("WARN smtpwatch could not start (" + t + "); the app runs without it");
        }
    }
}
