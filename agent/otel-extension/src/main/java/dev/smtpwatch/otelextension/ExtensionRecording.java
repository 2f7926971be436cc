package dev.smtpwatch.otelextension;

import dev.smtpwatch.agent.AgentConfig;
import dev.smtpwatch.agent.AgentLog;
import dev.smtpwatch.agent.AgentRecording;
import dev.smtpwatch.agent.BootstrapDispatcher;
import dev.smtpwatch.agent.RecordingClaim;
import dev.smtpwatch.bootstrap.HookDispatcher;
import dev.smtpwatch.instrumentation.AgentHooks;
import java.util.List;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicBoolean;
import org.slf4j.Logger;

/**
 * The extension's start-up, done the standalone agent's way with the standalone agent's code: settings parsed
 * and checked when the OpenTelemetry Java agent loads the extension; the recorder, rules and exporters
 * ({@link AgentRecording#start}) built when the first instrumented class arrives, so an app that never
 * sends mail loads none of it.
 *
 * <p>The advice that agent weaves into the library calls {@code dev.smtpwatch.bootstrap.HookDispatcher} from the
 * library's class loader, which does not see the extension's. That agent defines the dispatcher there, as a helper
 * class of the module; as each instrumented class is transformed, the recorder's hooks are installed in its class
 * loader's copy ({@link BootstrapDispatcher#installInto}). Nothing goes on the bootstrap class path, which would
 * make the JVM print a warning of its own.
 */
final class ExtensionRecording {
    private static volatile ExtensionRecording claimed;

    private final AgentConfig config;
    private final Logger log;
    private final Set<String> shapesWarned = ConcurrentHashMap.newKeySet();
    private final AtomicBoolean installFailed = new AtomicBoolean();
    private Object hooks;
    private boolean startFailed;

    private ExtensionRecording(AgentConfig config, Logger log) {
        this.config = config;
        this.log = log;
    }

    /**
     * This extension's recording, or null when the standalone agent records this JVM already (said in one WARN):
     * never two spans for one session.
     */
    static synchronized ExtensionRecording claim() {
        if (claimed != null) {
            return claimed;
        }
        String recording = RecordingClaim.claim(RecordingClaim.OTEL_EXTENSION);
        if (recording != null) {
            System.err.println("WARN smtpwatch " + RecordingClaim.idleWarning(RecordingClaim.OTEL_EXTENSION,
                recording));
            return null;
        }
        AgentConfig config = AgentConfig.forOtelExtension(System.getProperties(), System.getenv());
        Logger log = AgentLog.create(config.debug());
        for (String warning : config.warnings()) {
            log.warn(warning);
        }
        log.debug("started inside the OpenTelemetry Java agent with report={} otel={} log={} mask={}"
            + " commands.max={} stuck.seconds={} cert.expiry.days={}", config.report(), config.otel() ? "on" : "off",
            config.log(), config.mask() ? "on" : "off", config.commandsMax(), config.stuckSeconds(),
            config.certExpiryDays());
        claimed = new ExtensionRecording(config, log);
        return claimed;
    }

    /**
     * As each instrumented class is transformed (before it can run): the first time, the recorder; every time, the
     * recorder's hooks in the class loader's copy of the dispatcher. Never throws into the Java agent.
     */
    void start(ClassLoader loader) {
        Object agentHooks = hooks();
        if (agentHooks == null) {
            return;
        }
        try {
            BootstrapDispatcher.installInto(Class.forName(HookDispatcher.class.getName(), true, loader), agentHooks);
        } catch (Throwable t) {
            if (installFailed.compareAndSet(false, true)) {
                log.warn("could not install the hooks in {} ({}); its mail sessions are not recorded", loader,
                    String.valueOf(t));
            }
        }
    }

    /** The recorder's hooks, started once; null when the start failed (said once). */
    private synchronized Object hooks() {
        if (hooks == null && !startFailed) {
            try {
                AgentRecording.start(config, log, true);
                hooks = AgentHooks.install();
            } catch (Throwable t) {
                startFailed = true;
                log.warn("could not start inside the OpenTelemetry Java agent ({}); mail sessions are not recorded",
                    String.valueOf(t));
            }
        }
        return hooks;
    }

    /** One WARN per class name, in the standalone agent's words. */
    void notInstrumenting(String className, List<String> missing) {
        if (shapesWarned.add(className)) {
            log.warn("not instrumenting {}: this library version has no {}; its mail sessions are not recorded",
                className, String.join(", ", missing));
        }
    }
}
