package dev.smtpwatch.cli;

import dev.smtpwatch.rules.Severity;
import java.util.HashSet;
import java.util.List;
import java.util.Set;

/**
 * The review as one self-contained HTML page: totals by severity, the endpoint inventory, the findings with the
 * catalogue's explanation and fix, and a ladder diagram per session shape. Inline CSS, a few lines of optional
 * JavaScript (a filter for the endpoint table; details opened for printing), inline SVG; a Content-Security-Policy
 * forbids every request, so the page works offline and cannot leak what it shows. Readable without JavaScript:
 * everything is in the markup.
 */
final class HtmlPage {
    static final String CONTENT_SECURITY_POLICY =
        "default-src 'none'; style-src 'unsafe-inline'; script-src 'unsafe-inline'; img-src data:";

    private static final String CSS = String.join("\n",
        ":root{--crit:#a4001d;--high:#c8481b;--med:#a66a00;--low:#2f6690;--info:#5c6670;--ok:#1d7a3a}",
        "body{font-family:'DejaVu Sans',Arial,sans-serif;margin:0 auto;max-width:1200px;padding:0 1.5rem 3rem;"
            + "color:#1b1f23;line-height:1.45}",
        "h1{margin:1.2rem 0 .2rem}h2{margin-top:2.2rem;border-bottom:2px solid #d0d7de;padding-bottom:.2rem}",
        "nav ul{list-style:none;padding:0;display:flex;flex-wrap:wrap;gap:1rem}",
        "a:focus-visible,summary:focus-visible,figure:focus-visible,input:focus-visible,tr:focus-visible"
            + "{outline:3px solid #0969da;outline-offset:2px}",
        ".totals{display:flex;flex-wrap:wrap;gap:.8rem;padding:0;list-style:none}",
        ".totals li{border:1px solid #d0d7de;border-left-width:8px;border-radius:6px;padding:.5rem 1rem;"
            + "min-width:8rem}",
        ".totals .n{display:block;font-size:1.8rem;font-weight:bold}",
        ".sev-critical{border-left-color:var(--crit)!important}.sev-high{border-left-color:var(--high)!important}",
        ".sev-medium{border-left-color:var(--med)!important}.sev-low{border-left-color:var(--low)!important}",
        ".sev-info{border-left-color:var(--info)!important}",
        ".badge{display:inline-block;border-radius:1em;padding:0 .6em;color:#fff;font-size:.85em;"
            + "vertical-align:middle}",
        ".b-critical{background:var(--crit)}.b-high{background:var(--high)}.b-medium{background:var(--med)}",
        ".b-low{background:var(--low)}.b-info{background:var(--info)}",
        ".scroll{overflow-x:auto}",
        "caption{text-align:left;color:#57606a;padding:.3rem 0}",
        "table{border-collapse:collapse;font-size:.9rem;margin-bottom:1rem}",
        "th,td{border:1px solid #d0d7de;padding:.3rem .5rem;text-align:left;vertical-align:top}",
        "th{background:#f6f8fa}td.num{text-align:right}",
        "td.alert{color:#fff;background:var(--crit);font-weight:bold}",
        "article.finding{border:1px solid #d0d7de;border-left-width:8px;border-radius:6px;padding:.2rem 1rem 1rem;"
            + "margin:1rem 0}",
        "dl.facts{display:grid;grid-template-columns:max-content 1fr;gap:.1rem 1rem;margin:.5rem 0}",
        "dl.facts dt{font-weight:bold}dl.facts dd{margin:0}",
        "pre{background:#f6f8fa;padding:.6rem;overflow-x:auto;font-size:.8rem;white-space:pre-wrap}",
        "code{font-family:'DejaVu Sans Mono',monospace;font-size:.9em}",
        "figure.shape{border:1px solid #d0d7de;border-radius:6px;margin:1rem 0;padding:.5rem 1rem;"
            + "break-inside:avoid;page-break-inside:avoid}",
        "svg.ladder{max-width:100%;height:auto;font-family:'DejaVu Sans',Arial,sans-serif;font-size:12px}",
        ".lane{stroke:#57606a;stroke-width:2}.lane-name{font-weight:bold}",
        ".command{stroke:#1b1f23;stroke-width:1.5}.reply{stroke-width:1.2;stroke-dasharray:5 3}",
        ".head{fill:#1b1f23}.head-red{fill:var(--crit)}",
        ".r2{stroke:var(--ok);fill:var(--ok)}.r3{stroke:#2f6690;fill:#2f6690}.r4{stroke:var(--med);fill:var(--med)}",
        ".r5{stroke:var(--crit);fill:var(--crit)}.r-none{stroke:#8c959f;fill:#57606a}",
        "line.reply{fill:none}",
        ".clear-auth{stroke:var(--crit);fill:var(--crit);font-weight:bold}line.clear-auth{stroke-width:2.5}",
        ".blocked{stroke:var(--crit);fill:var(--crit)}.cross{stroke:var(--crit);stroke-width:3}",
        ".blocked-label{fill:var(--crit);font-weight:bold}",
        "text.verb,text.reply-code,text.note{stroke:none}text.verb{fill:#1b1f23}text.verb.clear-auth,"
            + "text.verb.blocked{fill:var(--crit)}",
        "text.note{fill:#1b1f23;font-style:italic;font-weight:bold}",
        ".tls-band{fill:#dcf3e3;stroke:#7cc494}.tls-label{fill:var(--ok);font-weight:bold}",
        ".padlock{stroke:var(--ok);stroke-width:2;fill:var(--ok)}.padlock path{fill:none}",
        ".muted{color:#57606a}",
        ".cards{display:grid;grid-template-columns:repeat(auto-fill,minmax(500px,1fr));gap:0 1rem;"
            + "align-items:start}",
        "@media print{nav,.filter{display:none}body{max-width:none}a{color:inherit;text-decoration:none}"
            + "h2{break-after:avoid}}");

    /** Opens every details element for printing; adds a filter box above the endpoint tables. */
    private static final String SCRIPT = String.join("\n",
        "window.addEventListener('beforeprint',function(){",
        "  document.querySelectorAll('details').forEach(function(d){d.open=true;});});",
        "(function(){var table=document.getElementById('endpoint-table');if(!table)return;",
        "  var box=document.createElement('input');box.type='search';box.className='filter';",
        "  box.placeholder='Filter endpoints';box.setAttribute('aria-label','Filter endpoints');",
        "  box.addEventListener('input',function(){var q=box.value.toLowerCase();",
        "    document.querySelectorAll('#endpoint-table tbody tr,#inventory-table tbody tr').forEach(function(r){",
        "      r.hidden=q!==''&&r.textContent.toLowerCase().indexOf(q)<0;});});",
        "  table.parentNode.parentNode.insertBefore(box,table.parentNode);})();");

    private final FleetSummary fleet;
    private final SessionShapes shapes;
    private final FindingsDoc doc;
    private final String inputs;
    /** The ids the page has an article for. */
    private final Set<String> findings = new HashSet<String>();
    private final StringBuilder html = new StringBuilder(64 * 1024);

    private HtmlPage(FleetSummary fleet, SessionShapes shapes, FindingsDoc doc, String inputs) {
        this.fleet = fleet;
        this.shapes = shapes;
        this.doc = doc;
        this.inputs = inputs;
        for (FindingTally finding : fleet.findings()) {
            findings.add(finding.id);
        }
    }

    /** @param inputs the report sources as the user named them, for the page's heading */
    static String render(FleetSummary fleet, SessionShapes shapes, FindingsDoc doc, String inputs,
            String version) {
        return new HtmlPage(fleet, shapes, doc, inputs).page(version);
    }

    private String page(String version) {
        html.append("<!DOCTYPE html>\n<html lang=\"en\">\n<head>\n<meta charset=\"utf-8\">\n")
            .append("<meta http-equiv=\"Content-Security-Policy\" content=\"").append(CONTENT_SECURITY_POLICY)
            .append("\">\n<meta name=\"viewport\" content=\"width=device-width, initial-scale=1\">\n")
            .append("<title>smtpwatch review: ").append(Html.escape(inputs)).append("</title>\n<style>\n")
            .append(CSS).append("\n</style>\n</head>\n<body>\n<header>\n<h1>SMTP sessions review</h1>\n<p>")
            .append(SummaryCommand.count(fleet.sessions(), "session", "sessions")).append(" to ")
            .append(SummaryCommand.count(fleet.endpoints().size(), "endpoint", "endpoints")).append(" from ")
            .append(Html.escape(inputs));
        if (fleet.times().first() != null) {
            html.append(", ").append(Html.escape(fleet.times().first())).append(" to ")
                .append(Html.escape(fleet.times().last()));
        }
        html.append(".</p>\n<nav aria-label=\"Sections\"><ul><li><a href=\"#totals\">Totals</a></li>")
            .append("<li><a href=\"#endpoints\">Endpoints</a></li><li><a href=\"#findings\">Findings</a></li>")
            .append("<li><a href=\"#shapes\">Session shapes</a></li>");
        if (fleet.malformed.count() > 0) {
            html.append("<li><a href=\"#skipped\">Skipped lines</a></li>");
        }
        html.append("</ul></nav>\n</header>\n<main>\n");
        totals();
        endpoints();
        findings();
        shapes();
        skipped();
        html.append("</main>\n<footer class=\"muted\"><p>Written by smtpwatch")
            .append(version == null ? "" : " " + Html.escape(version))
            .append(" from the agent's reports; addresses masked, no credentials or message content recorded.")
            .append("</p></footer>\n<script>\n").append(SCRIPT).append("\n</script>\n</body>\n</html>\n");
        return html.toString();
    }

    private void totals() {
        html.append("<section id=\"totals\" aria-labelledby=\"totals-h\"><h2 id=\"totals-h\">Findings by severity")
            .append("</h2>\n<ul class=\"totals\">");
        Severity[] all = Severity.values();
        for (int i = all.length - 1; i >= 0; i--) {
            html.append("<li class=\"sev-").append(all[i].id()).append("\"><span class=\"n\">")
                .append(fleet.findings(all[i])).append("</span>").append(all[i].id()).append("</li>");
        }
        html.append("</ul></section>\n");
    }

    private void endpoints() {
        List<EndpointInventory> endpoints = fleet.endpoints();
        html.append("<section id=\"endpoints\" aria-labelledby=\"endpoints-h\"><h2 id=\"endpoints-h\">Endpoints</h2>\n")
            .append("<div class=\"scroll\"><table id=\"endpoint-table\"><caption>One row per server and port;")
            .append(" AUTH counts login exchanges, AUTH in clear the sessions whose credentials went without TLS,")
            .append(" throttled the 421/451/454 replies.</caption><thead><tr><th scope=\"col\">Endpoint</th>")
            .append("<th scope=\"col\">Sessions</th><th scope=\"col\">Messages</th><th scope=\"col\">Msg/conn</th>")
            .append("<th scope=\"col\">Failed</th><th scope=\"col\">Throttled</th><th scope=\"col\">AUTH</th>")
            .append("<th scope=\"col\">AUTH in clear</th><th scope=\"col\">Findings</th><th scope=\"col\">TLS modes")
            .append("</th></tr></thead><tbody>\n");
        for (EndpointInventory row : endpoints) {
            html.append("<tr><th scope=\"row\" class=\"endpoint\">").append(Html.escape(row.endpoint)).append("</th>");
            number(row.sessions, false);
            number(row.messages, false);
            html.append("<td class=\"num\">").append(row.messagesPerConnection()).append("</td>");
            number(row.failed, false);
            number(row.throttled, false);
            number(row.logins, false);
            number(row.authInClear, row.authInClear > 0);
            number(row.findings, false);
            html.append("<td>").append(Html.escape(row.tlsModes.joined())).append("</td></tr>\n");
        }
        html.append("</tbody></table></div>\n<h3>TLS and library inventory</h3>\n<div class=\"scroll\">")
            .append("<table id=\"inventory-table\"><thead><tr><th scope=\"col\">Endpoint</th>")
            .append("<th scope=\"col\">Protocols</th><th scope=\"col\">Ciphers</th>")
            .append("<th scope=\"col\">Certificates</th><th scope=\"col\">Libraries</th></tr></thead><tbody>\n");
        for (EndpointInventory row : endpoints) {
            html.append("<tr><th scope=\"row\">").append(Html.escape(row.endpoint)).append("</th>");
            for (Distinct column : new Distinct[] {row.protocols, row.ciphers, row.certificates, row.libraries}) {
                html.append("<td>").append(Html.escape(AddressText.mask(column.joined()))).append("</td>");
            }
            html.append("</tr>\n");
        }
        html.append("</tbody></table></div></section>\n");
    }

    private void number(long value, boolean alert) {
        html.append(alert ? "<td class=\"num alert\">" : "<td class=\"num\">").append(value).append("</td>");
    }

    private void findings() {
        html.append("<section id=\"findings\" aria-labelledby=\"findings-h\"><h2 id=\"findings-h\">Findings</h2>\n");
        List<FindingTally> tallies = fleet.findings();
        if (tallies.isEmpty()) {
            html.append("<p>No findings: every session was clean.</p>");
        }
        html.append("<div class=\"cards\">\n");
        for (FindingTally finding : tallies) {
            String severity = finding.highest().id();
            html.append("<article class=\"finding sev-").append(severity).append("\" id=\"finding-")
                .append(Html.id(finding.id)).append("\" aria-labelledby=\"finding-").append(Html.id(finding.id))
                .append("-h\"><h3 id=\"finding-").append(Html.id(finding.id)).append("-h\"><code>")
                .append(Html.escape(finding.id)).append("</code> <span class=\"badge b-").append(severity)
                .append("\">").append(Html.escape(finding.severities())).append("</span></h3>\n<dl class=\"facts\">")
                .append("<dt>Count</dt><dd>").append(finding.count).append("</dd>");
            if (finding.enforced > 0) {
                html.append("<dt>Blocked</dt><dd>").append(finding.enforced).append(" by smtpwatch enforce</dd>");
            }
            html.append("<dt>First seen</dt><dd>").append(Html.escape(orDash(finding.times.first()))).append("</dd>")
                .append("<dt>Last seen</dt><dd>").append(Html.escape(orDash(finding.times.last()))).append("</dd>")
                .append("<dt>Endpoints</dt><dd>").append(Html.escape(finding.endpoints.joined())).append("</dd>")
                .append("<dt>What happened</dt><dd>").append(Html.escape(finding.message)).append("</dd>")
                .append("<dt>Fix</dt><dd>").append(Html.escape(finding.fix)).append("</dd></dl>\n");
            if (doc.has(finding.id)) {
                html.append("<details><summary>What it means and how to fix it, from the findings catalogue")
                    .append("</summary>\n").append(doc.html(finding.id, this::anchor)).append("\n</details>\n");
            }
            html.append("</article>\n");
        }
        html.append("</div></section>\n");
    }

    /** A link of the catalogue to another finding goes to its article when the reports had it. */
    private String anchor(String findingId) {
        return findings.contains(findingId) ? "finding-" + Html.id(findingId) : null;
    }

    private void shapes() {
        List<SessionShapes.Shape> drawn = shapes.drawn();
        html.append("<section id=\"shapes\" aria-labelledby=\"shapes-h\"><h2 id=\"shapes-h\">Session shapes</h2>\n")
            .append("<p>Each distinct conversation once, as a ladder: the client's commands to the right, the")
            .append(" server's reply codes back; the green band is TLS, a red AUTH sent credentials in clear, a")
            .append(" red cross is a command smtpwatch blocked. ")
            .append(SummaryCommand.count(shapes.distinct(), "distinct shape", "distinct shapes"));
        if (shapes.capped()) {
            html.append("; the ").append(drawn.size()).append(" most frequent are drawn (at most ")
                .append(SessionShapes.DRAWN).append(", tracking at most ").append(SessionShapes.TRACKED)
                .append("), ").append(SummaryCommand.count(shapes.sessionsNotDrawn(), "session", "sessions"))
                .append(" of other shapes are not");
        }
        html.append(".</p>\n<div class=\"cards\">\n");
        for (int i = 0; i < drawn.size(); i++) {
            SessionShapes.Shape shape = drawn.get(i);
            String title = "Shape " + (i + 1) + ": " + shape.tlsMode + ", " + shape.outcome + ", "
                + SummaryCommand.count(shape.sessions, "session", "sessions");
            html.append("<figure class=\"shape\" id=\"shape-").append(i + 1).append("\" tabindex=\"0\">")
                .append("<figcaption><strong>").append(Html.escape(title)).append("</strong><br>")
                .append("<span class=\"muted\">endpoints: ").append(Html.escape(shape.endpoints.joined()))
                .append("; libraries: ").append(Html.escape(shape.libraries.joined())).append("; findings: ");
            if (shape.findings.isEmpty()) {
                html.append("none");
            }
            boolean first = true;
            for (String id : shape.findings.values()) {
                html.append(first ? "" : ", ");
                String anchor = anchor(id);
                html.append(anchor == null ? "<code>" + Html.escape(id) + "</code>"
                    : "<a href=\"#" + anchor + "\"><code>" + Html.escape(id) + "</code></a>");
                first = false;
            }
            html.append("</span></figcaption>\n").append(LadderDiagram.svg(shape, i + 1, title))
                .append("</figure>\n");
        }
        html.append("</div></section>\n");
    }

    private void skipped() {
        MalformedLines malformed = fleet.malformed;
        if (malformed.count() == 0) {
            return;
        }
        html.append("<section id=\"skipped\" aria-labelledby=\"skipped-h\"><h2 id=\"skipped-h\">Skipped lines</h2>")
            .append("<p>Left out, not report lines: ").append(malformed.count())
            .append(malformed.count() > malformed.shown().size() ? "; the first " + malformed.shown().size() : "")
            .append(".</p><ul>");
        for (String line : malformed.shown()) {
            html.append("<li><code>").append(Html.escape(AddressText.mask(line))).append("</code></li>");
        }
        html.append("</ul></section>\n");
    }

    private static String orDash(String text) {
        return text == null ? "-" : text;
    }
}
