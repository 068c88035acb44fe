package dev.runnel.benchmarks;

import java.util.ArrayList;
import java.util.List;
import java.util.Locale;

/** A plain-text table: first column left-aligned, the others right-aligned, widths fitted to the cells. */
final class Table {
    private final List<String[]> rows = new ArrayList<>();
    private final int columns;

    Table(String... header) {
        this.columns = header.length;
        rows.add(header);
    }

    Table row(String... cells) {
        if (cells.length != columns) {
            throw new IllegalArgumentException("expected " + columns + " cells, got " + cells.length);
        }
        rows.add(cells);
        return this;
    }

    /** A section heading spanning the row. */
    Table section(String title) {
        String[] cells = new String[columns];
        cells[0] = title;
        for (int i = 1; i < columns; i++) {
            cells[i] = "";
        }
        rows.add(cells);
        return this;
    }

    String render() {
        int[] width = new int[columns];
        for (String[] r : rows) {
            for (int i = 0; i < columns; i++) {
                width[i] = Math.max(width[i], r[i].length());
            }
        }
        StringBuilder sb = new StringBuilder();
        for (int ri = 0; ri < rows.size(); ri++) {
            String[] r = rows.get(ri);
            StringBuilder line = new StringBuilder();
            for (int i = 0; i < columns; i++) {
                if (i > 0) {
                    line.append("  ");
                }
                String c = r[i];
                String pad = " ".repeat(width[i] - c.length());
                line.append(i == 0 ? c + pad : pad + c);
            }
            sb.append(line.toString().stripTrailing()).append('\n');
            if (ri == 0) {
                int total = 0;
                for (int w : width) {
                    total += w;
                }
                sb.append("-".repeat(total + 2 * (columns - 1))).append('\n');
            }
        }
        return sb.toString();
    }

    /** Fixed decimals, thousands separators: 1,234.5. NaN (no figure) prints as "-". */
    static String num(double v, int decimals) {
        if (Double.isNaN(v)) {
            return "-";
        }
        return String.format(Locale.ROOT, "%,." + decimals + "f", v);
    }

    static String count(long v) {
        return String.format(Locale.ROOT, "%,d", v);
    }

    /** Runnel/Kafka as "0.83x"; "-" when either is missing or Kafka's is zero. */
    static String ratio(double runnel, double kafka) {
        if (Double.isNaN(runnel) || Double.isNaN(kafka) || kafka == 0) {
            return "-";
        }
        return String.format(Locale.ROOT, "%.2fx", runnel / kafka);
    }

    /** Microseconds as milliseconds with one decimal (three below 10 ms). */
    static String millis(double micros) {
        if (Double.isNaN(micros)) {
            return "-";
        }
        double ms = micros / 1000.0;
        return ms < 10 ? String.format(Locale.ROOT, "%.3f", ms) : String.format(Locale.ROOT, "%,.1f", ms);
    }
}
