package io.runnel.cli.transactions;

import java.util.ArrayList;
import java.util.List;

/**
 * The table layout of Kafka's {@code kafka-transactions.sh}: a header line, then one line per row; each cell is padded
 * with spaces to its column's widest cell (header included) and followed by a tab, the last one too.
 */
final class TextTable {

    private TextTable() {}

    /**
     * @param headers the column names
     * @param rows the rows, each with one cell per column
     * @return the lines to print, header first
     * @throws IllegalArgumentException when a row's length differs from the header's
     */
    static List<String> format(List<String> headers, List<List<String>> rows) {
        int[] widths = new int[headers.size()];
        for (int i = 0; i < widths.length; i++) {
            widths[i] = headers.get(i).length();
        }
        for (List<String> row : rows) {
            if (row.size() != widths.length) {
                throw new IllegalArgumentException("row " + row + " has " + row.size() + " cells, not "
                        + widths.length);
            }
            for (int i = 0; i < widths.length; i++) {
                widths[i] = Math.max(widths[i], row.get(i).length());
            }
        }
        List<String> lines = new ArrayList<>(rows.size() + 1);
        lines.add(line(headers, widths));
        for (List<String> row : rows) {
            lines.add(line(row, widths));
        }
        return lines;
    }

    private static String line(List<String> cells, int[] widths) {
        StringBuilder b = new StringBuilder();
        for (int i = 0; i < widths.length; i++) {
            String cell = cells.get(i);
            b.append(cell).append(" ".repeat(widths[i] - cell.length())).append('\t');
        }
        return b.toString();
    }
}
