package dev.smtpwatch.otel;

import dev.smtpwatch.export.AppLogLines;
import dev.smtpwatch.export.ReportLine;
import dev.smtpwatch.export.SessionExporter;
import dev.smtpwatch.otel.bridge.Telemetry;
import dev.smtpwatch.rules.Finding;
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
import org.slf4j.Logger;

/**
 * Sessions as OpenTelemetry spans, span events and metrics (SPEC "OpenTelemetry"). Runs on the export thread
 * only; spans are created after the fact with the recorded timestamps and the parent captured on the app's
 * thread by {@link OtelCallerContext}. Where a session's span goes is decided per session ({@link #telemetryFor}):
 * two webapps with an OpenTelemetry of their own each get their spans, through a bridge of their own.
 */
public final class OtelExporter implements SessionExporter {
    private static final List<Double> DURATION_BUCKETS = Arrays.asList(0.005, 0.01, 0.025, 0.05, 0.075, 0.1, 0.25,
        0.5, 0.75, 1.0, 2.5, 5.0, 7.5, 10.0, 30.0, 60.0);
    private static final long SHUTDOWN_MILLIS = 5000;

    private final Logger log;
    private final OtelCallerContext callerContext;
    private final String version;
    /** Entry calls whose span is started and not yet ended, with the telemetry that started it. */
    private final Map<EntryCall, OpenSpan> entrySpans = new IdentityHashMap<EntryCall, OpenSpan>();
    private final ExportFailures failures;
    /** One per copy of an OpenTelemetry API (the apps' and the Java agent's), held by that copy's classes. */
    private final Bridges bridges;
    /** The embedded SDK's telemetry once started: the one destination held here, it holds nothing of an app. */
    private Telemetry embeddedTelemetry;
    private EmbeddedSdk embedded;
    /** The embedded SDK could not start (said once): its sessions have no spans. */
    private boolean embeddedFailed;
    /** While the embedded SDK waits for a collector on the default endpoint: when to look again, else 0. */
    private long nextCollectorProbe;

    public OtelExporter(Logger log, OtelCallerContext callerContext, String version) {
        this(log, callerContext, version, Bridges.overGlobal(log, version == null ? "dev" : version));
    }

    OtelExporter(Logger log, OtelCallerContext callerContext, String version, final Bridges bridges) {
        this.log = log;
        this.callerContext = callerContext;
        this.version = version == null ? "dev" : version;
        this.failures = new ExportFailures(log);
        this.bridges = bridges;
        callerContext.onFirstContext(new OtelCallerContext.FirstContextListener() {
            @Override
            public void firstContext(Class<?> globalClass) {
                bridges.startEarly(globalClass);
            }
        });
    }

    /** With a given telemetry in place of the embedded SDK, for tests. */
    OtelExporter(Logger log, Telemetry telemetry) {
        this(log, new OtelCallerContext(), "test");
        this.embeddedTelemetry = telemetry;
    }

    /** What the embedded SDK's exporters report back, for tests. */
    ExportFailures failures() {
        return failures;
    }

    @Override
    public void export(SmtpSession session, List<Finding> findings) {
        ClassLoader appLoader = session.library().transportClass().getClassLoader();
        EntryCall entry = session.entry();
        Telemetry telemetry;
        Object parent;
        if (entry != null) {
            // under the entry call's span, so through the telemetry that made it
            OpenSpan entrySpan = entrySpan(entry, appLoader);
            if (entrySpan == null) {
                return;
            }
            telemetry = entrySpan.telemetry;
            parent = entrySpan.span;
        } else {
            telemetry = telemetryFor(session.callerContext(), appLoader);
            if (telemetry == null) {
                return;
            }
            parent = parent(session.callerContext());
        }
        if (telemetry == embeddedTelemetry && failures.refusing(System.currentTimeMillis())) {
            failures.spanNotBuilt();
        } else {
            exportSpan(session, findings, telemetry, parent);
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

    private void exportSpan(SmtpSession session, List<Finding> findings, Telemetry telemetry, Object parent) {
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
        OpenSpan open = entrySpans.remove(entry);
        if (open == null) {
            open = startEntrySpan(entry, null);
            if (open == null) {
                return;
            }
        }
        long end = entry.startEpochMillis() * 1_000_000L + Math.max(0, entry.durationNanos());
        open.telemetry.endSpan(open.span, entry.error() == null ? null : entry.error().type(), null, end);
    }

    @Override
    public void close() {
        try {
            long now = System.currentTimeMillis() * 1_000_000L;
            for (OpenSpan open : entrySpans.values()) {
                open.telemetry.endSpan(open.span, null, null, now);
            }
            entrySpans.clear();
        } finally {
            if (embedded != null) {
                embedded.shutdown(SHUTDOWN_MILLIS);
            } else {
                failures.atExit(true);
            }
        }
    }

    private OpenSpan entrySpan(EntryCall entry, ClassLoader appLoader) {
        OpenSpan open = entrySpans.get(entry);
        if (open == null) {
            open = startEntrySpan(entry, appLoader);
            if (open != null) {
                entrySpans.put(entry, open);
            }
        }
        return open;
    }

    /** @return null when the entry call's spans go nowhere */
    private OpenSpan startEntrySpan(EntryCall entry, ClassLoader appLoader) {
        Telemetry telemetry = telemetryFor(entry.callerContext(), appLoader);
        if (telemetry == null) {
            return null;
        }
        return new OpenSpan(telemetry, telemetry.startSpan(entry.operation(), Telemetry.INTERNAL,
            parent(entry.callerContext()), entry.startEpochMillis() * 1_000_000L, null));
    }

    /** The captured context, whose API the span goes through (see {@link #telemetryFor}); else a new trace. */
    private static Object parent(Object captured) {
        return captured instanceof CapturedContext ? ((CapturedContext) captured).context : null;
    }

    /** An entry call's span and the telemetry (so the API copy) that started it. */
    private static final class OpenSpan {
        final Telemetry telemetry;
        final Object span;

        OpenSpan(Telemetry telemetry, Object span) {
            this.telemetry = telemetry;
            this.span = span;
        }
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
     * Where the spans of a session (or entry call) go, in this order: the API copy its context was captured from;
     * else the app's API as {@code appLoader} sees it, when a global is registered there; else the OpenTelemetry
     * Java agent's, when it has a global; else the embedded SDK. Null: nowhere (a start-up failure, said once, or
     * the embedded SDK waiting for a collector). The result is used for this session only and never kept here:
     * a bridge is held by its API's classes, so an undeployed app's loader can go.
     */
    private Telemetry telemetryFor(Object captured, ClassLoader appLoader) {
        if (captured instanceof CapturedContext) {
            return bridge(((CapturedContext) captured).globalClass);
        }
        OtelApi agent = callerContext.javaagentApi();
        if (callerContext.isJavaagentOnly()) {
            return agent == null ? null : bridge(agent.globalClass());
        }
        OtelApi app = callerContext.appApi(appLoader);
        if (app != null && app.globalSet()) {
            return bridge(app.globalClass());
        }
        if (agent != null && agent.globalSet()) {
            return bridge(agent.globalClass());
        }
        return embedded();
    }

    private Telemetry bridge(Class<?> globalClass) {
        try {
            return bridges.telemetry(globalClass);
        } catch (Throwable t) {
            if (bridges.firstFailure(globalClass)) {
                couldNotStart(t);
            }
            return null;
        }
    }

    /**
     * The embedded SDK's telemetry, started at the first session that goes there; looked at again now and then
     * while it waits for a collector on the default endpoint (the session's span is dropped meanwhile, as the SDK
     * would drop it).
     */
    private Telemetry embedded() {
        if (embeddedTelemetry != null || embeddedFailed) {
            return embeddedTelemetry;
        }
        if (nextCollectorProbe != 0 && System.currentTimeMillis() < nextCollectorProbe) {
            failures.collectorDown(DefaultEndpoint.TRACES, null);
            return null;
        }
        try {
            embeddedTelemetry = embeddedWhenReachable();
            if (embeddedTelemetry != null) {
                log.debug("OpenTelemetry initialised on the first session: spans go through {}",
                    TelemetryMode.EMBEDDED.description());
            }
        } catch (Throwable t) {
            embeddedFailed = true;
            nextCollectorProbe = 0;
            couldNotStart(t);
        }
        return embeddedTelemetry;
    }

    private void couldNotStart(Throwable t) {
        log.debug("OpenTelemetry start-up failed", t);
        String reason = t.getCause() != null ? t + ", caused by " + t.getCause() : t.toString();
        if (reason.contains("GrpcSenderProvider")) {
            reason = "smtpwatch's own exporter speaks OTLP over HTTP only: set OTEL_EXPORTER_OTLP_PROTOCOL="
                + "http/protobuf and the endpoint's HTTP port (4318)";
        }
        log.warn("OpenTelemetry could not start ({}); sessions are still logged and reported, without spans",
            reason);
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
}
