package io.runnel.compat.tools;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * The table {@code kafka-transactions.sh} prints: a header line of column names and one line per row, columns
 * separated by runs of whitespace (no cell contains whitespace). Lines before the header (there are none in 4.4) and
 * blank lines are ignored; with no header, the table is empty.
 */
final class Table {

    private final String text;
    private final List<String> headers;
    private final List<Map<String, String>> rows;

    private Table(String text, List<String> headers, List<Map<String, String>> rows) {
        this.text = text;
        this.headers = headers;
        this.rows = rows;
    }

    /** Parses {@code text}; its first non-blank line is the header. */
    static Table parse(String text) {
        List<String> headers = List.of();
        List<Map<String, String>> rows = new ArrayList<>();
        for (String line : text.lines().map(String::strip).filter(l -> !l.isEmpty()).toList()) {
            String[] cells = line.split("\\s+");
            if (headers.isEmpty()) {
                headers = List.of(cells);
                continue;
            }
            Map<String, String> row = new LinkedHashMap<>();
            for (int i = 0; i < cells.length && i < headers.size(); i++) {
                row.put(headers.get(i), cells[i]);
            }
            rows.add(row);
        }
        return new Table(text, headers, rows);
    }

    /** The column names. */
    List<String> headers() {
        return headers;
    }

    /** Every row, column name to cell. */
    List<Map<String, String>> rows() {
        return rows;
    }

    /**
     * The one row whose {@code column} is {@code value}.
     *
     * @throws AssertionError when there is no such row, or more than one
     */
    Map<String, String> row(String column, String value) {
        if (!headers.contains(column)) {
            throw new AssertionError("no column " + column + " in:\n" + text);
        }
        List<Map<String, String>> found = rows.stream().filter(r -> value.equals(r.get(column))).toList();
        if (found.size() != 1) {
            throw new AssertionError(found.size() + " rows with " + column + "=" + value + " in:\n" + text);
        }
        return found.get(0);
    }

    /** The tool's output as printed, for assertion messages. */
    String text() {
        return text;
    }
}
