package dev.smtpwatch.otel;

import dev.smtpwatch.export.AppLogLines;
import dev.smtpwatch.export.ReportLine;
import dev.smtpwatch.export.SessionExporter;
import dev.smtpwatch.otel.bridge.Telemetry;
import dev.smtpwatch.rules.Finding;
import dev.smtpwatch.session.AgentThreads;
import dev.smtpwatch.session.EntryCall;
import dev.smtpwatch.session.ServerCertificate;
import dev.smtpwatch.session.SmtpCommand;
import dev.smtpwatch.session.SmtpSession;
import java.io.IOException;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.IdentityHashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.Callable;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.FutureTask;
import java.util.concurrent.TimeUnit;
import org.slf4j.Logger;

/**
 * Sessions as OpenTelemetry spans, span events and metrics (SPEC "OpenTelemetry"). Runs on the export thread
 * only; spans are created after the fact with the recorded timestamps and the parent captured on the app's
 * thread by {@link OtelCallerContext}. Where they go is decided at the first session ({@link TelemetryMode}).
 */
public final class OtelExporter implements SessionExporter {
    private static final List<Double> DURATION_BUCKETS = Arrays.asList(0.005, 0.01, 0.025, 0.05, 0.075, 0.1, 0.25,
        0.5, 0.75, 1.0, 2.5, 5.0, 7.5, 10.0, 30.0, 60.0);
    private static final long SHUTDOWN_MILLIS = 5000;

    private final Logger log;
    private final OtelCallerContext callerContext;
    private final String version;
    private final Map<EntryCall, Object> entrySpans = new IdentityHashMap<EntryCall, Object>();
    private final ExportFailures failures;
    private boolean initialised;
    private TelemetryMode mode;
    private Telemetry telemetry;
    private EmbeddedSdk embedded;
    /** While the embedded SDK waits for a collector on the default endpoint: when to look again, else 0. */
    private long nextCollectorProbe;

    /** Bridge set-up started early (see {@link #firstContext}); read by the export thread. */
    private volatile FutureTask<Telemetry> early;
    private volatile TelemetryMode earlyMode;

    public OtelExporter(Logger log, OtelCallerContext callerContext, String version) {
        this.log = log;
        this.callerContext = callerContext;
        this.version = version == null ? "dev" : version;
        this.failures = new ExportFailures(log);
        callerContext.onFirstContext(new OtelCallerContext.FirstContextListener() {
            @Override
            public void firstContext(CapturedContext context) {
                startEarly(context);
            }
        });
    }

    /** With a given telemetry, for tests. */
    OtelExporter(Logger log, Telemetry telemetry) {
        this(log, new OtelCallerContext(), "test");
        this.initialised = true;
        this.mode = TelemetryMode.EMBEDDED;
        this.telemetry = telemetry;
    }

    /**
     * The app has a trace of its own: define the bridge over its API now, on a thread of ours, while the SMTP
     * session runs, rather than after it ended. An app that exits right after sending shuts its own SDK down in a
     * shutdown hook, and every millisecond between the session's end and its span reaching that SDK counts.
     */
    private void startEarly(final CapturedContext context) {
        if (early != null) {
            return;
        }
        FutureTask<Telemetry> task = new FutureTask<Telemetry>(new Callable<Telemetry>() {
            @Override
            public Telemetry call() throws Exception {
                return create(context.source, context, context.loader);
            }
        });
        earlyMode = context.source;
        early = task;
        AgentThreads.newThread("smtpwatch-otel-init", task, true).start();
    }

    @Override
    public void export(SmtpSession session, List<Finding> findings) {
        if (!ready(session.callerContext(), session.entry() != null ? session.entry().callerContext() : null,
            session.library().transportClass().getClassLoader())) {
            return;
        }
        EntryCall entry = session.entry();
        Object parent = entry != null ? entrySpan(entry) : parent(session.callerContext());
        long start = session.startEpochMillis() * 1_000_000L;
        long end = start + Math.max(0, session.durationMs()) * 1_000_000L;

        String host = session.serverAddress();
        Object span = telemetry.startSpan(host == null || host.isEmpty() ? "SMTP send" : "SMTP " + host,
            Telemetry.CLIENT, parent, start, spanAttributes(session, findings));
        for (Finding f : findings) {
            Map<String, Object> event = new LinkedHashMap<String, Object>();
            event.put("smtp.finding.id", f.id());
            event.put("smtp.finding.severity", f.severity().id());
            event.put("smtp.finding.message", f.message());
            if (session.enforcedFindings().contains(f.id())) {
                event.put("smtp.finding.enforced", true);
            }
            telemetry.addEvent(span, "smtp.finding", end, event);
        }
        telemetry.endSpan(span, session.error() == null ? null : session.error().type(), null, end);
        AppLogLines.spanOfSession(telemetry.traceId(span), telemetry.spanId(span));
        if (log.isDebugEnabled()) {
            log.debug("span SMTP {}:{} in trace {}", host, session.serverPort(), telemetry.traceId(span));
        }

        Map<String, Object> outcome = new LinkedHashMap<String, Object>();
        endpoint(outcome, session);
        outcome.put("smtp.tls.mode", session.tlsMode().id());
        // a send enforce stopped is counted apart from other failures: what a rollout of enforce watches
        outcome.put("outcome", session.enforcedFindings().isEmpty() ? session.outcome() : "blocked");
        telemetry.addToCounter("smtp.client.sessions", "{session}", "SMTP connections opened by the app", 1, outcome);
        telemetry.recordInHistogram("smtp.client.session.duration", "s", "Duration of SMTP connections",
            Math.max(0, session.durationMs()) / 1000.0, outcome, DURATION_BUCKETS);
        for (Finding f : findings) {
            Map<String, Object> finding = new LinkedHashMap<String, Object>();
            endpoint(finding, session);
            finding.put("smtp.finding.id", f.id());
            finding.put("smtp.finding.severity", f.severity().id());
            telemetry.addToCounter("smtp.client.findings", "{finding}", "Findings in SMTP sessions", 1, finding);
        }
    }

    /** Per endpoint, for alerts on one relay: an app talks to a handful of SMTP servers, not to thousands. */
    private static void endpoint(Map<String, Object> attributes, SmtpSession session) {
        if (session.serverAddress() != null) {
            attributes.put("server.address", session.serverAddress());
        }
        attributes.put("server.port", session.serverPort());
    }

    @Override
    public void entryEnded(EntryCall entry) {
        if (!ready(null, entry.callerContext(), null)) {
            return;
        }
        Object span = entrySpans.remove(entry);
        if (span == null) {
            span = startEntrySpan(entry);
        }
        long end = entry.startEpochMillis() * 1_000_000L + Math.max(0, entry.durationNanos());
        telemetry.endSpan(span, entry.error() == null ? null : entry.error().type(), null, end);
    }

    @Override
    public void close() {
        try {
            if (telemetry != null) {
                long now = System.currentTimeMillis() * 1_000_000L;
                for (Object span : entrySpans.values()) {
                    telemetry.endSpan(span, null, null, now);
                }
                entrySpans.clear();
            }
        } finally {
            if (embedded != null) {
                embedded.shutdown(SHUTDOWN_MILLIS);
            } else {
                failures.atExit(true);
            }
        }
    }

    private Object entrySpan(EntryCall entry) {
        Object span = entrySpans.get(entry);
        if (span == null) {
            span = startEntrySpan(entry);
            entrySpans.put(entry, span);
        }
        return span;
    }

    private Object startEntrySpan(EntryCall entry) {
        return telemetry.startSpan(entry.operation(), Telemetry.INTERNAL, parent(entry.callerContext()),
            entry.startEpochMillis() * 1_000_000L, null);
    }

    /** The captured context when it belongs to the API spans go through; else a new trace. */
    private Object parent(Object captured) {
        if (captured instanceof CapturedContext && ((CapturedContext) captured).source == mode) {
            return ((CapturedContext) captured).context;
        }
        return null;
    }

    private static Map<String, Object> spanAttributes(SmtpSession session, List<Finding> findings) {
        Map<String, Object> a = new LinkedHashMap<String, Object>();
        if (session.serverAddress() != null) {
            a.put("server.address", session.serverAddress());
        }
        if (session.serverPort() > 0) {
            a.put("server.port", session.serverPort());
        }
        a.put("network.protocol.name", "smtp");
        a.put("tls.established", session.tlsEstablished());
        if (session.tlsProtocol() != null) {
            a.put("tls.protocol.version", tlsVersion(session.tlsProtocol()));
        }
        if (session.tlsCipher() != null) {
            a.put("tls.cipher", session.tlsCipher());
        }
        if (!session.serverCertificates().isEmpty()) {
            ServerCertificate leaf = session.serverCertificates().get(0);
            a.put("tls.server.subject", leaf.subject());
            a.put("tls.server.issuer", leaf.issuer());
            a.put("tls.server.not_after", ReportLine.isoUtc(leaf.notAfterMillis()));
        }
        a.put("smtp.tls.mode", session.tlsMode().id());
        a.put("smtp.starttls.required", session.config().startTlsRequired());
        SmtpCommand auth = session.auth();
        if (auth != null) {
            if (auth.arg() != null) {
                a.put("smtp.auth.mechanism", auth.arg());
            }
            a.put("smtp.auth.tls", auth.tls());
        }
        List<String> verbs = new ArrayList<String>();
        for (SmtpCommand c : session.commands()) {
            verbs.add(c.verb());
        }
        a.put("smtp.commands", verbs);
        List<String> ids = new ArrayList<String>();
        for (Finding f : findings) {
            ids.add(f.id());
        }
        a.put("smtp.findings", ids);
        a.put("smtp.logins", session.logins());
        a.put("smtp.messages", session.messages());
        if (!session.queueIds().isEmpty()) {
            a.put("smtp.message.id", new ArrayList<String>(session.queueIds()));
        }
        return a;
    }

    /** {@code TLSv1.3} → {@code 1.3}, as the semantic conventions' tls.protocol.version has it. */
    static String tlsVersion(String javaName) {
        int v = javaName.indexOf('v');
        return javaName.startsWith("TLSv") || javaName.startsWith("SSLv") ? javaName.substring(v + 1) : javaName;
    }

    /**
     * Chooses where telemetry goes at the first call; false when it goes nowhere. The embedded SDK waiting for a
     * collector on the default endpoint is looked at again now and then (the session's span is dropped meanwhile,
     * as the SDK would drop it).
     */
    private boolean ready(Object sessionContext, Object entryContext, ClassLoader appLoader) {
        if (initialised) {
            if (nextCollectorProbe != 0) {
                if (System.currentTimeMillis() < nextCollectorProbe) {
                    failures.collectorDown(DefaultEndpoint.TRACES, null);
                } else {
                    start(new Callable<Telemetry>() {
                        @Override
                        public Telemetry call() {
                            return embeddedWhenReachable();
                        }
                    });
                }
            }
            return telemetry != null;
        }
        initialised = true;
        final Object captured = entryContext != null ? entryContext : sessionContext;
        final FutureTask<Telemetry> prepared = early;
        if (prepared != null) {
            mode = earlyMode;
        } else {
            mode = chooseMode(captured, appLoader);
        }
        final ClassLoader loader = appLoader;
        start(new Callable<Telemetry>() {
            @Override
            public Telemetry call() throws Exception {
                if (prepared == null) {
                    return create(mode, captured, loader);
                }
                try {
                    return prepared.get(10, TimeUnit.SECONDS);
                } catch (ExecutionException e) {
                    if (e.getCause() instanceof Error) {
                        throw (Error) e.getCause();
                    }
                    throw (Exception) e.getCause();
                }
            }
        });
        return telemetry != null;
    }

    private void start(Callable<Telemetry> creation) {
        try {
            telemetry = creation.call();
            if (telemetry != null) {
                log.debug("OpenTelemetry initialised on the first session: spans go through {}", mode.description());
            }
        } catch (Throwable t) {
            telemetry = null;
            nextCollectorProbe = 0;
            log.debug("OpenTelemetry start-up failed", t);
            String reason = t.getCause() != null ? t + ", caused by " + t.getCause() : t.toString();
            if (reason.contains("GrpcSenderProvider")) {
                reason = "smtpwatch's own exporter speaks OTLP over HTTP only: set OTEL_EXPORTER_OTLP_PROTOCOL="
                    + "http/protobuf and the endpoint's HTTP port (4318)";
            }
            log.warn("OpenTelemetry could not start ({}); sessions are still logged and reported, without spans",
                reason);
        }
    }

    /**
     * The embedded SDK, unless nothing is configured and nothing listens on the default endpoint: then null, one
     * WARN (the same the SDK's failed export gives) and another look in {@link DefaultEndpoint#RETRY_MILLIS}.
     */
    private Telemetry embeddedWhenReachable() {
        if (!DefaultEndpoint.configured(System.getenv(), System.getProperties())) {
            IOException down = DefaultEndpoint.unreachable(DefaultEndpoint.PORT);
            if (down != null) {
                failures.collectorDown(DefaultEndpoint.TRACES, down);
                nextCollectorProbe = System.currentTimeMillis() + DefaultEndpoint.RETRY_MILLIS;
                log.debug("OpenTelemetry: nothing listens on {} and no OTLP endpoint is set; the SDK is not started",
                    DefaultEndpoint.TRACES);
                return null;
            }
        }
        nextCollectorProbe = 0;
        embedded = EmbeddedSdk.start(log, version, failures);
        return embedded.telemetry();
    }

    private TelemetryMode chooseMode(Object captured, ClassLoader appLoader) {
        if (captured instanceof CapturedContext) {
            return ((CapturedContext) captured).source;
        }
        if (callerContext.isJavaagentOnly()) {
            return TelemetryMode.JAVAAGENT;
        }
        OtelApi app = callerContext.appApi(appLoader);
        if (app != null && app.globalSet()) {
            return TelemetryMode.APP_API;
        }
        OtelApi agent = callerContext.javaagentApi();
        if (agent != null && agent.globalSet()) {
            return TelemetryMode.JAVAAGENT;
        }
        return TelemetryMode.EMBEDDED;
    }

    private Telemetry create(TelemetryMode chosen, Object captured, ClassLoader appLoader) throws Exception {
        switch (chosen) {
            case APP_API:
                ClassLoader loader = captured instanceof CapturedContext ? ((CapturedContext) captured).loader
                    : appLoader;
                return fromGlobal(BridgeClassLoader.over(loader, "META-INF/smtpwatch/bridge-app.jar"));
            case JAVAAGENT:
                return fromGlobal(BridgeClassLoader.over(null, "META-INF/smtpwatch/bridge-javaagent.jar"));
            default:
                return embeddedWhenReachable();
        }
    }

    private Telemetry fromGlobal(ClassLoader bridgeLoader) throws Exception {
        Class<?> impl = Class.forName("dev.smtpwatch.otel.bridge.impl.OtelTelemetry", true, bridgeLoader);
        return (Telemetry) impl.getMethod("fromGlobal", String.class).invoke(null, version);
    }
}
