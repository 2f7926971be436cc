package dev.smtpwatch.cli;

import java.io.PrintStream;
import java.util.ArrayList;
import java.util.List;

/** Columns padded to their widest cell, numbers right-aligned: readable in a terminal and in a CI log. */
final class TextTable {
    private static final String GAP = "  ";

    private final String[] header;
    private final boolean[] numeric;
    private final List<String[]> rows = new ArrayList<String[]>();

    /** @param header column titles; a title ending in {@code #} marks a numeric column (the mark is not shown) */
    TextTable(String... header) {
        this.header = new String[header.length];
        this.numeric = new boolean[header.length];
        for (int i = 0; i < header.length; i++) {
            numeric[i] = header[i].endsWith("#");
            this.header[i] = numeric[i] ? header[i].substring(0, header[i].length() - 1) : header[i];
        }
    }

    TextTable row(Object... cells) {
        String[] row = new String[header.length];
        for (int i = 0; i < row.length; i++) {
            row[i] = String.valueOf(cells[i]);
        }
        rows.add(row);
        return this;
    }

    void print(PrintStream out) {
        int[] widths = widths();
        print(out, header, widths);
        for (String[] row : rows) {
            print(out, row, widths);
        }
    }

    /** The rows without the header line: for label/value lists. */
    void printRows(PrintStream out) {
        int[] widths = widths();
        for (String[] row : rows) {
            print(out, row, widths);
        }
    }

    private int[] widths() {
        int[] widths = new int[header.length];
        for (int i = 0; i < header.length; i++) {
            widths[i] = header[i].length();
            for (String[] row : rows) {
                widths[i] = Math.max(widths[i], row[i].length());
            }
        }
        return widths;
    }

    private void print(PrintStream out, String[] cells, int[] widths) {
        StringBuilder line = new StringBuilder();
        for (int i = 0; i < cells.length; i++) {
            if (i > 0) {
                line.append(GAP);
            }
            String padding = repeat(' ', widths[i] - cells[i].length());
            line.append(numeric[i] ? padding + cells[i] : cells[i] + padding);
        }
        // the last column is text padded to its width: no trailing blanks in the output
        int end = line.length();
        while (end > 0 && line.charAt(end - 1) == ' ') {
            end--;
        }
        out.println(line.substring(0, end));
    }

    private static String repeat(char c, int times) {
        StringBuilder s = new StringBuilder(Math.max(times, 0));
        for (int i = 0; i < times; i++) {
            s.append(c);
        }
        return s.toString();
    }
}
