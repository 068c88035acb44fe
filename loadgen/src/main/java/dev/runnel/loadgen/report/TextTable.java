package dev.runnel.loadgen.report;

import java.util.List;
import java.util.Locale;
import java.util.function.IntPredicate;

/** The terminal tables loadgen prints: columns padded to their widest cell, a rule under the header row. */
public final class TextTable {

    private TextTable() {
    }

    /**
     * The rows (the first is the header) as lines; a column whose index {@code leftAligned} accepts
     * is padded on the right, any other (numbers) on the left.
     */
    public static String render(List<String[]> rows, IntPredicate leftAligned) {
        int[] width = new int[rows.get(0).length];
        for (String[] r : rows) {
            for (int i = 0; i < r.length; i++) {
                width[i] = Math.max(width[i], r[i].length());
            }
        }
        StringBuilder sb = new StringBuilder();
        for (int ri = 0; ri < rows.size(); ri++) {
            String[] r = rows.get(ri);
            StringBuilder line = new StringBuilder();
            for (int i = 0; i < r.length; i++) {
                String pad = " ".repeat(width[i] - r[i].length());
                line.append(i == 0 ? "" : "  ").append(leftAligned.test(i) ? r[i] + pad : pad + r[i]);
            }
            sb.append(line.toString().stripTrailing()).append('\n');
            if (ri == 0) {
                sb.append("-".repeat(line.length())).append('\n');
            }
        }
        return sb.toString();
    }

    /** {@code v} with thousands separators and {@code decimals} decimals; NaN (no figure) as "-". */
    public static String num(double v, int decimals) {
        return Double.isNaN(v) ? "-" : String.format(Locale.ROOT, "%,." + decimals + "f", v);
    }
}
