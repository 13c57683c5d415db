package io.csi4j.cli;

import java.io.PrintWriter;
import java.util.List;

/** Rows printed as columns, left-aligned and two spaces apart, without trailing blanks. */
public final class TextTable {

    private TextTable() {}

    /** {@code rows} (the first usually a header), each line starting with {@code indent}. */
    public static void print(List<List<String>> rows, String indent, PrintWriter out) {
        int[] widths = new int[rows.getFirst().size()];
        for (List<String> row : rows) {
            for (int column = 0; column < row.size(); column++) {
                widths[column] = Math.max(widths[column], row.get(column).length());
            }
        }
        for (List<String> row : rows) {
            StringBuilder line = new StringBuilder(indent);
            for (int column = 0; column < row.size(); column++) {
                line.append(String.format("%-" + (widths[column] + 2) + "s", row.get(column)));
            }
            out.println(line.toString().stripTrailing());
        }
    }
}
