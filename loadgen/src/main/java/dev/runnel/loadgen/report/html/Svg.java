package dev.runnel.loadgen.report.html;

import java.util.List;
import java.util.Locale;
import java.util.function.DoubleFunction;

/**
 * Inline SVG line charts, drawn here so the report needs no script or network: axes with rounded ticks, one
 * polyline per series (NaN points break the line), a legend. The x axis can carry its own tick labels (the
 * percentile axis of a latency distribution).
 */
final class Svg {
    private static final int WIDTH = 860;
    private static final int HEIGHT = 320;
    private static final int LEFT = 70;
    private static final int RIGHT = 20;
    private static final int TOP = 30;
    private static final int BOTTOM = 50;

    private Svg() {
    }

    record Series(String name, String color, double[] x, double[] y) {
    }

    /** A tick on the x axis at {@code x} labelled {@code label}. */
    record Tick(double x, String label) {
    }

    /** @param xTicks null: rounded ticks over the data's range */
    static String lineChart(String title, String xLabel, String yLabel, List<Series> series, List<Tick> xTicks) {
        double minX = Double.POSITIVE_INFINITY;
        double maxX = Double.NEGATIVE_INFINITY;
        double maxY = 0;
        for (Series s : series) {
            for (int i = 0; i < s.x().length; i++) {
                if (!Double.isNaN(s.y()[i]) && Double.isFinite(s.x()[i])) {
                    minX = Math.min(minX, s.x()[i]);
                    maxX = Math.max(maxX, s.x()[i]);
                    maxY = Math.max(maxY, s.y()[i]);
                }
            }
        }
        StringBuilder sb = new StringBuilder();
        sb.append(String.format(Locale.ROOT, "<svg xmlns=\"http://www.w3.org/2000/svg\" width=\"%d\" height=\"%d\" "
                + "viewBox=\"0 0 %d %d\" font-family=\"sans-serif\" font-size=\"11\">%n", WIDTH, HEIGHT, WIDTH, HEIGHT));
        sb.append(String.format(Locale.ROOT, "<text x=\"%d\" y=\"18\" font-size=\"14\" font-weight=\"bold\">%s</text>%n", LEFT, esc(title)));
        if (minX > maxX) {
            return sb.append("<text x=\"70\" y=\"60\">no data</text></svg>\n").toString();
        }
        if (minX == maxX) {
            maxX = minX + 1;
        }
        double yStep = niceStep(maxY == 0 ? 1 : maxY, 6);
        double yTop = Math.ceil((maxY == 0 ? 1 : maxY) / yStep) * yStep;
        double x0 = minX;
        double x1 = maxX;
        DoubleFunction<Double> px = x -> LEFT + (x - x0) / (x1 - x0) * (WIDTH - LEFT - RIGHT);
        DoubleFunction<Double> py = y -> HEIGHT - BOTTOM - y / yTop * (HEIGHT - TOP - BOTTOM);
        // grid and y ticks
        for (double y = 0; y <= yTop + yStep / 2; y += yStep) {
            sb.append(String.format(Locale.ROOT, "<line x1=\"%d\" y1=\"%.1f\" x2=\"%d\" y2=\"%.1f\" stroke=\"#ddd\"/>"
                    + "<text x=\"%d\" y=\"%.1f\" text-anchor=\"end\">%s</text>%n",
                    LEFT, py.apply(y), WIDTH - RIGHT, py.apply(y), LEFT - 6, py.apply(y) + 4, label(y)));
        }
        List<Tick> ticks = xTicks;
        if (ticks == null) {
            double xStep = niceStep(x1 - x0, 10);
            ticks = new java.util.ArrayList<>();
            for (double x = Math.ceil(x0 / xStep) * xStep; x <= x1 + xStep / 1000; x += xStep) {
                ticks.add(new Tick(x, label(x)));
            }
        }
        for (Tick t : ticks) {
            if (t.x() < x0 || t.x() > x1) {
                continue;
            }
            sb.append(String.format(Locale.ROOT, "<line x1=\"%.1f\" y1=\"%d\" x2=\"%.1f\" y2=\"%d\" stroke=\"#eee\"/>"
                    + "<text x=\"%.1f\" y=\"%d\" text-anchor=\"middle\">%s</text>%n",
                    px.apply(t.x()), TOP, px.apply(t.x()), HEIGHT - BOTTOM, px.apply(t.x()), HEIGHT - BOTTOM + 16, esc(t.label())));
        }
        sb.append(String.format(Locale.ROOT, "<line x1=\"%d\" y1=\"%d\" x2=\"%d\" y2=\"%d\" stroke=\"#333\"/>"
                + "<line x1=\"%d\" y1=\"%d\" x2=\"%d\" y2=\"%d\" stroke=\"#333\"/>%n",
                LEFT, HEIGHT - BOTTOM, WIDTH - RIGHT, HEIGHT - BOTTOM, LEFT, TOP, LEFT, HEIGHT - BOTTOM));
        sb.append(String.format(Locale.ROOT, "<text x=\"%d\" y=\"%d\" text-anchor=\"middle\">%s</text>%n",
                (LEFT + WIDTH - RIGHT) / 2, HEIGHT - 12, esc(xLabel)));
        sb.append(String.format(Locale.ROOT, "<text x=\"14\" y=\"%d\" text-anchor=\"middle\" transform=\"rotate(-90 14 %d)\">%s</text>%n",
                (TOP + HEIGHT - BOTTOM) / 2, (TOP + HEIGHT - BOTTOM) / 2, esc(yLabel)));
        int legendX = WIDTH - RIGHT - 150 * series.size();
        for (int si = 0; si < series.size(); si++) {
            Series s = series.get(si);
            sb.append(polyline(s, px, py));
            sb.append(String.format(Locale.ROOT, "<rect x=\"%d\" y=\"8\" width=\"12\" height=\"12\" fill=\"%s\"/>"
                    + "<text x=\"%d\" y=\"18\">%s</text>%n", legendX + 150 * si, s.color(), legendX + 150 * si + 16, esc(s.name())));
        }
        return sb.append("</svg>\n").toString();
    }

    private static String polyline(Series s, DoubleFunction<Double> px, DoubleFunction<Double> py) {
        StringBuilder sb = new StringBuilder();
        StringBuilder points = new StringBuilder();
        for (int i = 0; i <= s.x().length; i++) {
            boolean gap = i == s.x().length || Double.isNaN(s.y()[i]) || !Double.isFinite(s.x()[i]);
            if (gap) {
                if (points.length() > 0) {
                    sb.append(String.format(Locale.ROOT, "<polyline fill=\"none\" stroke=\"%s\" stroke-width=\"1.8\" points=\"%s\"/>%n",
                            s.color(), points.toString().strip()));
                    points.setLength(0);
                }
            } else {
                points.append(String.format(Locale.ROOT, "%.1f,%.1f ", px.apply(s.x()[i]), py.apply(s.y()[i])));
            }
        }
        return sb.toString();
    }

    /** A 1, 2 or 5 × 10^n step giving about {@code ticks} ticks over {@code range}. */
    static double niceStep(double range, int ticks) {
        double raw = range / ticks;
        double magnitude = Math.pow(10, Math.floor(Math.log10(raw)));
        double r = raw / magnitude;
        return (r <= 1 ? 1 : r <= 2 ? 2 : r <= 5 ? 5 : 10) * magnitude;
    }

    private static String label(double v) {
        return v == Math.rint(v) && Math.abs(v) < 1e12 ? String.format(Locale.ROOT, "%,d", (long) v)
                : String.format(Locale.ROOT, "%.3g", v);
    }

    static String esc(String s) {
        return s.replace("&", "&amp;").replace("<", "&lt;").replace(">", "&gt;").replace("\"", "&quot;");
    }
}
