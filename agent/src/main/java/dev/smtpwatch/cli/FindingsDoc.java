package dev.smtpwatch.cli;

import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStream;
import java.io.InputStreamReader;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * {@code docs/findings.md}, copied into the jar at build time, as HTML per finding id: the page explains each
 * finding in the catalogue's own words. Only the Markdown that page uses is understood (paragraphs, {@code -}
 * lists, tables, fenced code, {@code `code`}, {@code **bold**}, links); every piece of text is escaped, and a link
 * becomes one only when it points inside the page.
 */
final class FindingsDoc {
    static final String RESOURCE = "findings.md";
    private static final Pattern SECTION = Pattern.compile("^## `([a-z0-9-]+)`\\s*$");
    private static final Pattern INLINE = Pattern.compile("`([^`]+)`|\\*\\*(.+?)\\*\\*|\\[([^\\]]+)\\]\\(([^)]+)\\)");

    private final Map<String, List<String>> sections;

    private FindingsDoc(Map<String, List<String>> sections) {
        this.sections = sections;
    }

    /** The catalogue in the jar; empty when it is missing (a build without docs), so the page still renders. */
    static FindingsDoc load() {
        Map<String, List<String>> sections = new HashMap<String, List<String>>();
        InputStream in = FindingsDoc.class.getResourceAsStream(RESOURCE);
        if (in == null) {
            return new FindingsDoc(sections);
        }
        try (BufferedReader reader = new BufferedReader(new InputStreamReader(in, StandardCharsets.UTF_8))) {
            List<String> current = null;
            for (String line = reader.readLine(); line != null; line = reader.readLine()) {
                Matcher section = SECTION.matcher(line);
                if (section.matches()) {
                    current = new ArrayList<String>();
                    sections.put(section.group(1), current);
                } else if (line.startsWith("## ") || line.equals("---")) {
                    current = null;
                } else if (current != null) {
                    current.add(line);
                }
            }
        } catch (IOException unreadable) {
            sections.clear();
        }
        return new FindingsDoc(sections);
    }

    boolean has(String id) {
        return sections.containsKey(id);
    }

    /** The section of {@code id} as HTML; empty when the catalogue has none. */
    String html(String id, LinkTarget links) {
        List<String> lines = sections.get(id);
        if (lines == null) {
            return "";
        }
        StringBuilder html = new StringBuilder();
        int i = 0;
        while (i < lines.size()) {
            String line = lines.get(i);
            if (line.trim().isEmpty()) {
                i++;
            } else if (line.startsWith("```")) {
                html.append("<pre><code>");
                for (i++; i < lines.size() && !lines.get(i).startsWith("```"); i++) {
                    html.append(Html.escape(lines.get(i))).append('\n');
                }
                html.append("</code></pre>");
                i++;
            } else if (line.startsWith("|")) {
                i = table(lines, i, html, links);
            } else if (line.startsWith("- ")) {
                html.append("<ul>");
                while (i < lines.size() && lines.get(i).startsWith("- ")) {
                    StringBuilder item = new StringBuilder(lines.get(i).substring(2));
                    for (i++; i < lines.size() && lines.get(i).startsWith("  "); i++) {
                        item.append(' ').append(lines.get(i).trim());
                    }
                    html.append("<li>").append(inline(item.toString(), links)).append("</li>");
                }
                html.append("</ul>");
            } else if (line.startsWith("### ")) {
                html.append("<h4>").append(inline(line.substring(4), links)).append("</h4>");
                i++;
            } else {
                StringBuilder paragraph = new StringBuilder(line);
                for (i++; i < lines.size() && isParagraphText(lines.get(i)); i++) {
                    paragraph.append(' ').append(lines.get(i));
                }
                html.append("<p>").append(inline(paragraph.toString(), links)).append("</p>");
            }
        }
        return html.toString();
    }

    private static boolean isParagraphText(String line) {
        return !line.trim().isEmpty() && !line.startsWith("```") && !line.startsWith("|") && !line.startsWith("- ")
            && !line.startsWith("### ");
    }

    private static int table(List<String> lines, int start, StringBuilder html, LinkTarget links) {
        html.append("<table class=\"doc\">");
        int i = start;
        boolean header = true;
        for (; i < lines.size() && lines.get(i).startsWith("|"); i++) {
            String line = lines.get(i).trim();
            if (line.matches("\\|[-:| ]+\\|")) {
                continue;
            }
            String[] cells = line.substring(1, line.endsWith("|") ? line.length() - 1 : line.length()).split("\\|");
            html.append("<tr>");
            for (String cell : cells) {
                html.append(header ? "<th>" : "<td>").append(inline(cell.trim(), links))
                    .append(header ? "</th>" : "</td>");
            }
            html.append("</tr>");
            header = false;
        }
        html.append("</table>");
        return i;
    }

    private static String inline(String text, LinkTarget links) {
        StringBuilder html = new StringBuilder();
        Matcher m = INLINE.matcher(text);
        int end = 0;
        while (m.find()) {
            html.append(Html.escape(text.substring(end, m.start())));
            if (m.group(1) != null) {
                html.append("<code>").append(Html.escape(m.group(1))).append("</code>");
            } else if (m.group(2) != null) {
                html.append("<strong>").append(inline(m.group(2), links)).append("</strong>");
            } else {
                String anchor = m.group(4).startsWith("#") ? links.anchor(m.group(4).substring(1)) : null;
                String label = inline(m.group(3), links);
                html.append(anchor == null ? label : "<a href=\"#" + Html.escape(anchor) + "\">" + label + "</a>");
            }
            end = m.end();
        }
        return html.append(Html.escape(text.substring(end))).toString();
    }

    /** Where a link to another finding of the catalogue goes on the page; null when it has no place there. */
    interface LinkTarget {
        String anchor(String findingId);
    }
}
