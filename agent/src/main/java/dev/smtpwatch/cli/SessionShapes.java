package dev.smtpwatch.cli;

import dev.smtpwatch.rules.Finding;
import java.util.ArrayList;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * The distinct conversations in the reports, each drawn once as a ladder diagram. A session's shape is its TLS
 * mode, greeting, outcome, the enforced findings, and its commands as verb + TLS state + reply class, a run of
 * identical steps (many RCPTs) counting as one; the first session of a shape is kept as its example. At most
 * {@link #TRACKED} shapes are tracked (the sessions of shapes seen later are counted) and the
 * {@link #DRAWN} most frequent are drawn, so a page of any report stays small.
 */
final class SessionShapes implements ReportFile.SessionHandler {
    static final int TRACKED = 500;
    static final int DRAWN = 40;
    /** Steps drawn per diagram; a longer example ends with "… N more". */
    static final int MAX_STEPS = 60;

    private final Map<String, Shape> shapes = new LinkedHashMap<String, Shape>();
    private long untrackedSessions;

    @Override
    public void session(ReportSession session) {
        List<Step> steps = steps(session);
        Set<String> enforced = session.enforcedFindings();
        String key = key(session, steps, enforced);
        Shape shape = shapes.get(key);
        if (shape == null) {
            if (shapes.size() >= TRACKED) {
                untrackedSessions += session.repeats();
                return;
            }
            shape = new Shape(session, steps, enforced);
            shapes.put(key, shape);
        }
        shape.add(session);
    }

    /** The {@link #DRAWN} most frequent shapes, most frequent first (first seen first among equals). */
    List<Shape> drawn() {
        List<Shape> all = new ArrayList<Shape>(shapes.values());
        Collections.sort(all, (a, b) -> Long.compare(b.sessions, a.sessions));
        return all.subList(0, Math.min(DRAWN, all.size()));
    }

    int distinct() {
        return shapes.size();
    }

    /** Sessions of shapes not drawn: beyond {@link #DRAWN}, or seen after {@link #TRACKED} shapes. */
    long sessionsNotDrawn() {
        long drawn = 0;
        long all = untrackedSessions;
        for (Shape shape : drawn()) {
            drawn += shape.sessions;
        }
        for (Shape shape : shapes.values()) {
            all += shape.sessions;
        }
        return all - drawn;
    }

    boolean capped() {
        return untrackedSessions > 0 || shapes.size() > DRAWN;
    }

    private static String key(ReportSession session, List<Step> steps, Set<String> enforced) {
        StringBuilder key = new StringBuilder(session.tlsMode()).append(session.tlsEstablished() ? "" : "-failed")
            .append('|').append(session.greeting() / 100)
            .append('|').append(session.outcome()).append('|').append(enforced).append('|');
        for (Step step : steps) {
            key.append(step.verb).append(step.tls ? "+tls" : "").append(':')
                .append(step.reply < 0 ? -1 : step.reply / 100).append(step.times > 1 ? "*" : "")
                .append(step.blocked ? "x" : "").append(' ');
        }
        return key.toString();
    }

    /** The commands, runs of the same verb, TLS state and reply folded into one step. */
    private static List<Step> steps(ReportSession session) {
        List<Step> steps = new ArrayList<Step>();
        for (ReportSession.Command command : session.commands()) {
            Step previous = steps.isEmpty() ? null : steps.get(steps.size() - 1);
            if (previous != null && previous.verb.equals(command.verb) && previous.tls == command.tls
                    && previous.reply == command.reply && !previous.blocked && !command.blocked) {
                previous.times++;
            } else {
                // only the AUTH mechanism is shown: MAIL/RCPT paths are addresses, which the page never shows
                Step step = new Step(command.verb, command.isAuth() ? command.arg : null, command.tls, command.reply);
                step.blocked = command.blocked;
                steps.add(step);
            }
        }
        return steps;
    }

    /** One distinct conversation and the sessions that had it. */
    static final class Shape {
        final String tlsMode;
        final String tlsProtocol;
        /** TLS was to be used (implicit, or STARTTLS answered) but no TLS session came of it. */
        final boolean handshakeFailed;
        final String errorType;
        final long greeting;
        final String outcome;
        final List<Step> steps;
        final Set<String> enforced;
        final Distinct endpoints = new Distinct(3);
        final Distinct libraries = new Distinct(3);
        final Distinct findings = new Distinct(12);
        long sessions;

        Shape(ReportSession example, List<Step> steps, Set<String> enforced) {
            this.tlsMode = example.tlsMode();
            this.tlsProtocol = example.tlsProtocol();
            this.handshakeFailed = !"none".equals(example.tlsMode()) && !example.tlsEstablished();
            this.errorType = example.errorType();
            this.greeting = example.greeting();
            this.outcome = example.outcome();
            this.steps = steps;
            this.enforced = enforced;
        }

        void add(ReportSession session) {
            long n = session.repeats();
            sessions += n;
            endpoints.add(session.server(), n);
            libraries.add(session.library(), n);
            for (Finding finding : session.findings()) {
                findings.add(finding.id(), n);
            }
        }
    }

    /** One arrow pair of the ladder: the command and its reply. */
    static final class Step {
        final String verb;
        final String arg;
        final boolean tls;
        final long reply;
        int times = 1;
        /** The command {@code enforce} stopped: it gets the red cross. */
        boolean blocked;

        Step(String verb, String arg, boolean tls, long reply) {
            this.verb = verb;
            this.arg = arg;
            this.tls = tls;
            this.reply = reply;
        }
    }
}
