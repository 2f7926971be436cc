package dev.smtpwatch.cli;

import java.util.ArrayList;
import java.util.List;

/**
 * One session shape as an SVG ladder diagram: the client lane on the left, the server lane on the right, the
 * greeting, then per step the command as an arrow to the server and the reply code as a dashed arrow back. The
 * part of the conversation under TLS lies on a green band with a padlock; an AUTH in clear is red; a command the
 * agent blocked ({@code enforced}) ends at a red cross halfway. Colours come from the page's CSS classes; the
 * {@code title} and {@code desc} say the same in words for screen readers.
 */
final class LadderDiagram {
    private static final int WIDTH = 640;
    private static final int CLIENT_X = 120;
    private static final int SERVER_X = 520;
    private static final int TOP = 46;
    private static final int ROW = 40;

    private LadderDiagram() {
    }

    /** @param index the shape's number on the page, to keep element ids unique */
    static String svg(SessionShapes.Shape shape, int index, String title) {
        List<Row> rows = rows(shape);
        int height = TOP + ROW * rows.size() + 16;
        String prefix = "ladder-" + index;
        StringBuilder svg = new StringBuilder();
        svg.append("<svg class=\"ladder\" role=\"img\" viewBox=\"0 0 ")
            .append(WIDTH).append(' ').append(height).append("\" width=\"").append(WIDTH).append("\" height=\"")
            .append(height).append("\" aria-labelledby=\"").append(prefix).append("-title ").append(prefix)
            .append("-desc\">");
        svg.append("<title id=\"").append(prefix).append("-title\">").append(Html.escape(title)).append("</title>");
        svg.append("<desc id=\"").append(prefix).append("-desc\">").append(Html.escape(describe(rows)))
            .append("</desc>");
        svg.append("<defs>");
        marker(svg, prefix + "-head", "head");
        marker(svg, prefix + "-head-red", "head-red");
        svg.append("</defs>");
        int tlsFrom = tlsStart(rows);
        if (tlsFrom >= 0) {
            int y = TOP + ROW * tlsFrom - 14;
            svg.append("<rect class=\"tls-band\" x=\"").append(CLIENT_X).append("\" y=\"").append(y)
                .append("\" width=\"").append(SERVER_X - CLIENT_X).append("\" height=\"").append(height - y - 8)
                .append("\"/>");
            padlock(svg, CLIENT_X - 92, y + 2);
            svg.append("<text class=\"tls-label\" x=\"").append(CLIENT_X - 72).append("\" y=\"").append(y + 14)
                .append("\">").append(Html.escape(shape.tlsProtocol == null ? "TLS" : shape.tlsProtocol))
                .append("</text>");
        }
        lane(svg, CLIENT_X, height, "client");
        lane(svg, SERVER_X, height, "server");
        for (int i = 0; i < rows.size(); i++) {
            rows.get(i).draw(svg, TOP + ROW * i, prefix + "-head");
        }
        return svg.append("</svg>").toString();
    }

    private static List<Row> rows(SessionShapes.Shape shape) {
        List<Row> rows = new ArrayList<Row>();
        boolean implicit = "implicit".equals(shape.tlsMode);
        rows.add(Row.greeting(shape.greeting, implicit));
        List<SessionShapes.Step> steps = shape.steps;
        int shown = Math.min(steps.size(), SessionShapes.MAX_STEPS);
        for (int i = 0; i < shown; i++) {
            rows.add(Row.command(steps.get(i)));
        }
        if (steps.size() > shown) {
            rows.add(Row.note("… " + (steps.size() - shown) + " more steps"));
        }
        if (!shape.enforced.isEmpty()) {
            markBlocked(rows, shape);
        }
        if (shape.handshakeFailed) {
            rows.add(Row.note("✕ TLS handshake failed"));
        }
        if ("failed".equals(shape.outcome)) {
            rows.add(Row.note("session failed" + (shape.errorType == null ? "" : ": " + shape.errorType)));
        }
        return rows;
    }

    /**
     * The agent fails the call before the offending command leaves and records that command marked
     * {@code "blocked"}: it gets the cross (the library may still send QUIT after it). A report without the mark
     * ends before the command (or, with it recorded unanswered, on it): the last command, or an added arrow.
     */
    private static void markBlocked(List<Row> rows, SessionShapes.Shape shape) {
        String ids = String.join(", ", shape.enforced);
        for (Row row : rows) {
            if (row.step != null && row.step.blocked) {
                row.blockedBy = ids;
                return;
            }
        }
        Row last = rows.get(rows.size() - 1);
        boolean authBlocked = shape.enforced.contains("cleartext-auth");
        if (last.step != null && last.step.reply < 0 && (!authBlocked || last.step.verb.equals("AUTH"))) {
            last.blockedBy = ids;
        } else {
            Row blocked = Row.command(new SessionShapes.Step(authBlocked ? "AUTH" : "next command", null,
                last.step != null && last.step.tls, -1));
            blocked.blockedBy = ids;
            rows.add(blocked);
        }
    }

    private static int tlsStart(List<Row> rows) {
        for (int i = 0; i < rows.size(); i++) {
            if (rows.get(i).tls) {
                return i;
            }
        }
        return -1;
    }

    private static void marker(StringBuilder svg, String id, String cssClass) {
        svg.append("<marker id=\"").append(id).append("\" viewBox=\"0 0 10 10\" refX=\"9\" refY=\"5\" "
            + "markerUnits=\"userSpaceOnUse\" markerWidth=\"9\" markerHeight=\"9\" orient=\"auto\"><path class=\"")
            .append(cssClass).append("\" d=\"M0,0 L10,5 L0,10 z\"/></marker>");
    }

    private static void lane(StringBuilder svg, int x, int height, String name) {
        svg.append("<text class=\"lane-name\" x=\"").append(x).append("\" y=\"18\" text-anchor=\"middle\">")
            .append(name).append("</text><line class=\"lane\" x1=\"").append(x).append("\" y1=\"26\" x2=\"")
            .append(x).append("\" y2=\"").append(height - 4).append("\"/>");
    }

    private static void padlock(StringBuilder svg, int x, int y) {
        svg.append("<g class=\"padlock\" aria-hidden=\"true\"><path d=\"M").append(x + 3).append(',').append(y + 7)
            .append(" v-3 a5,5 0 0 1 10,0 v3\" fill=\"none\"/><rect x=\"").append(x).append("\" y=\"").append(y + 7)
            .append("\" width=\"16\" height=\"11\" rx=\"2\"/></g>");
    }

    private static String describe(List<Row> rows) {
        StringBuilder text = new StringBuilder();
        for (Row row : rows) {
            text.append(text.length() == 0 ? "" : "; ").append(row.words());
        }
        return text.toString();
    }

    /** A line of the ladder: the greeting, a command with its reply, or a note. */
    private static final class Row {
        final SessionShapes.Step step;
        final long greeting;
        final String note;
        final boolean tls;
        String blockedBy;

        private Row(SessionShapes.Step step, long greeting, String note, boolean tls) {
            this.step = step;
            this.greeting = greeting;
            this.note = note;
            this.tls = tls;
        }

        static Row greeting(long code, boolean implicitTls) {
            return new Row(null, code, null, implicitTls);
        }

        static Row command(SessionShapes.Step step) {
            return new Row(step, 0, null, step.tls);
        }

        static Row note(String note) {
            return new Row(null, 0, note, false);
        }

        boolean authInClear() {
            return step != null && step.verb.equals("AUTH") && !step.tls;
        }

        String label() {
            String label = step.verb + (step.arg == null ? "" : " " + step.arg)
                + (step.times > 1 ? " ×" + step.times : "");
            return authInClear() && blockedBy == null ? label + " — credentials in clear" : label;
        }

        String words() {
            if (note != null) {
                return note;
            }
            if (step == null) {
                return greeting < 0 ? "no greeting" : "greeting " + greeting + (tls ? " over TLS" : "");
            }
            if (blockedBy != null) {
                return label() + " blocked by smtpwatch (" + blockedBy + ")";
            }
            return label() + (step.tls ? " over TLS" : "") + ", reply " + (step.reply < 0 ? "none" : step.reply);
        }

        void draw(StringBuilder svg, int y, String head) {
            if (note != null) {
                text(svg, "note", (CLIENT_X + SERVER_X) / 2, y + 4, "middle", note);
            } else if (step == null) {
                arrow(svg, greeting < 0 ? "reply none" : "reply " + replyClass(greeting), SERVER_X, CLIENT_X, y,
                    head);
                text(svg, "reply-code " + replyClass(greeting), (CLIENT_X + SERVER_X) / 2, y - 5, "middle",
                    greeting < 0 ? "no greeting" : greeting + " greeting");
            } else if (blockedBy != null) {
                int middle = (CLIENT_X + SERVER_X) / 2;
                arrow(svg, "command blocked", CLIENT_X, middle - 8, y, head + "-red");
                svg.append("<path class=\"cross\" d=\"M").append(middle - 7).append(',').append(y - 7)
                    .append(" l14,14 m0,-14 l-14,14\"/>");
                text(svg, "verb blocked", CLIENT_X + 8, y - 6, "start", label());
                text(svg, "blocked-label", middle + 12, y + 4, "start", "blocked by smtpwatch (" + blockedBy + ")");
            } else {
                arrow(svg, authInClear() ? "command clear-auth" : "command", CLIENT_X, SERVER_X, y,
                    authInClear() ? head + "-red" : head);
                text(svg, authInClear() ? "verb clear-auth" : "verb", CLIENT_X + 8, y - 5, "start", label());
                int replyY = y + 16;
                arrow(svg, "reply " + replyClass(step.reply), SERVER_X, CLIENT_X, replyY, head);
                text(svg, "reply-code " + replyClass(step.reply), SERVER_X - 8, replyY - 4, "end",
                    step.reply < 0 ? "no reply" : String.valueOf(step.reply));
            }
        }

        private static String replyClass(long code) {
            return code < 200 ? "r-none" : code < 300 ? "r2" : code < 400 ? "r3" : code < 500 ? "r4" : "r5";
        }

        private static void arrow(StringBuilder svg, String cssClass, int fromX, int toX, int y, String head) {
            svg.append("<line class=\"").append(cssClass).append("\" x1=\"").append(fromX).append("\" y1=\"")
                .append(y).append("\" x2=\"").append(toX).append("\" y2=\"").append(y)
                .append("\" marker-end=\"url(#").append(head).append(")\"/>");
        }

        private static void text(StringBuilder svg, String cssClass, int x, int y, String anchor, String text) {
            svg.append("<text class=\"").append(cssClass).append("\" x=\"").append(x).append("\" y=\"").append(y)
                .append("\" text-anchor=\"").append(anchor).append("\">").append(Html.escape(text))
                .append("</text>");
        }
    }
}
