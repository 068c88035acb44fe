package dev.runnel.loadgen.report.html;

import dev.runnel.loadgen.cost.CostModel;
import dev.runnel.loadgen.report.PhaseResult;
import dev.runnel.loadgen.report.Report;
import dev.runnel.loadgen.send.IntervalLatency;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import org.HdrHistogram.Histogram;
import org.HdrHistogram.HistogramIterationValue;

/**
 * {@code --report DIR}: {@code report.html}, one self-contained page (inline SVG and CSS, no script, nothing
 * fetched, so it opens offline) with each phase's latency over time (p50 and p99 per interval), its latency
 * distribution by percentile (HdrHistogram's percentile iteration, on the usual 1/(1-p) axis) and the cost
 * comparison; and {@code report.json}, the same figures as {@code --json}.
 */
public final class HtmlReport {
    private static final double[] PERCENTILE_TICKS = {0, 90, 99, 99.9, 99.99, 99.999};

    private HtmlReport() {
    }

    /** @param cost null when no components were scraped */
    public static void write(Path dir, Report report, CostModel.Comparison cost) throws IOException {
        Files.createDirectories(dir);
        Files.writeString(dir.resolve("report.json"), report.json(), StandardCharsets.UTF_8);
        Files.writeString(dir.resolve("report.html"), html(report, cost), StandardCharsets.UTF_8);
    }

    static String html(Report report, CostModel.Comparison cost) {
        StringBuilder sb = new StringBuilder();
        sb.append("<!DOCTYPE html>\n<html lang=\"en\"><head><meta charset=\"utf-8\"><title>loadgen report</title>\n")
                .append("<style>body{font-family:sans-serif;margin:24px;max-width:900px}table{border-collapse:collapse;")
                .append("font-size:13px}td,th{border:1px solid #ccc;padding:3px 8px;text-align:right}")
                .append("td.t,th.t{text-align:left}code{font-size:12px}</style></head><body>\n")
                .append("<h1>loadgen report</h1>\n<p><code>").append(Svg.esc(report.commandLine())).append("</code></p>\n");
        for (PhaseResult p : report.phases()) {
            sb.append("<h2>phase ").append(Svg.esc(p.name())).append("</h2>\n<p>")
                    .append(String.format(Locale.ROOT, "%,.0f samples/s acknowledged over %.1f s; latency p50 %s ms, "
                                    + "p99 %s ms, max %s ms; %,d errors.",
                            p.samplesPerSecond(), p.seconds(), ms(PhaseResult.millis(p.latencyMicros(), 50)),
                            ms(PhaseResult.millis(p.latencyMicros(), 99)), ms(p.latencyMicros().getTotalCount() == 0
                                    ? Double.NaN : p.latencyMicros().getMaxValue() / 1000.0), p.errors()))
                    .append("</p>\n");
            sb.append(overTime(p)).append(distribution(p));
        }
        sb.append(cost == null ? "<h2>cost</h2><p>No components were scraped (--scrape): no cost model.</p>\n" : costSection(cost));
        return sb.append("</body></html>\n").toString();
    }

    private static String overTime(PhaseResult p) {
        List<IntervalLatency> intervals = p.intervals();
        double[] x = new double[intervals.size()];
        double[] p50 = new double[x.length];
        double[] p99 = new double[x.length];
        for (int i = 0; i < x.length; i++) {
            x[i] = intervals.get(i).endSeconds();
            p50[i] = intervals.get(i).p50Millis();
            p99[i] = intervals.get(i).p99Millis();
        }
        return Svg.lineChart("latency over time (" + p.name() + ")", "seconds", "ms",
                List.of(new Svg.Series("p50", "#1f77b4", x, p50), new Svg.Series("p99", "#d62728", x, p99)), null);
    }

    /** Latency by percentile, x = log10(1 / (1 - percentile)): 90% at 1, 99% at 2, 99.9% at 3. */
    private static String distribution(PhaseResult p) {
        Histogram h = p.latencyMicros();
        List<Double> xs = new ArrayList<>();
        List<Double> ys = new ArrayList<>();
        if (h.getTotalCount() > 0) {
            for (HistogramIterationValue v : h.percentiles(5)) {
                double pct = v.getPercentileLevelIteratedTo();
                if (pct >= 100) {
                    break;
                }
                xs.add(percentileX(pct));
                ys.add(h.highestEquivalentValue(v.getValueIteratedTo()) / 1000.0);
            }
        }
        List<Svg.Tick> ticks = new ArrayList<>();
        for (double t : PERCENTILE_TICKS) {
            ticks.add(new Svg.Tick(percentileX(t), (t == Math.rint(t) ? Long.toString((long) t) : Double.toString(t)) + "%"));
        }
        return Svg.lineChart("latency by percentile (" + p.name() + ")", "percentile", "ms",
                List.of(new Svg.Series("latency", "#2ca02c", unbox(xs), unbox(ys))), ticks);
    }

    static double percentileX(double percentile) {
        return Math.log10(100 / (100 - percentile));
    }

    private static String costSection(CostModel.Comparison c) {
        StringBuilder sb = new StringBuilder("<h2>cost</h2>\n<p>")
                .append(String.format(Locale.ROOT, "Per month (730 h) at the measured rate: %,.1f GB ingested (bytes produced "
                                + "to the log). Runnel $%,.2f/month, Kafka RF3 across three zones $%,.2f/month.",
                        c.ingestedGbPerMonth(), c.runnelTotal(), c.kafkaTotal()))
                .append("</p>\n");
        double max = Math.max(c.runnelTotal(), c.kafkaTotal());
        sb.append("<svg xmlns=\"http://www.w3.org/2000/svg\" width=\"860\" height=\"80\" font-family=\"sans-serif\" font-size=\"12\">\n");
        String[] names = {"Runnel", "Kafka RF3"};
        String[] colors = {"#1f77b4", "#ff7f0e"};
        double[] totals = {c.runnelTotal(), c.kafkaTotal()};
        for (int i = 0; i < names.length; i++) {
            double w = max > 0 ? totals[i] / max * 600 : 0;
            sb.append(String.format(Locale.ROOT, "<text x=\"0\" y=\"%d\">%s</text><rect x=\"90\" y=\"%d\" width=\"%.1f\" height=\"22\" "
                    + "fill=\"%s\"/><text x=\"%.1f\" y=\"%d\">$%,.2f/month</text>%n", 25 + 35 * i, names[i], 10 + 35 * i, w,
                    colors[i], 96 + w, 25 + 35 * i, totals[i]));
        }
        sb.append("</svg>\n<table><tr><th class=\"t\">system</th><th class=\"t\">item</th><th>per month</th><th>$/month</th>")
                .append("<th>$/GB ingested</th><th class=\"t\">formula</th></tr>\n");
        for (List<CostModel.Line> lines : List.of(c.runnel(), c.kafka())) {
            for (CostModel.Line l : lines) {
                sb.append(String.format(Locale.ROOT, "<tr><td class=\"t\">%s</td><td class=\"t\">%s</td><td>%,.1f %s</td><td>%,.2f</td>"
                                + "<td>%.5f</td><td class=\"t\"><code>%s</code></td></tr>%n", Svg.esc(l.system()), Svg.esc(l.item()),
                        l.quantityPerMonth(), Svg.esc(l.unit()), l.dollarsPerMonth(), l.dollarsPerGbIngested(), Svg.esc(l.formula())));
            }
        }
        return sb.append("</table>\n<p>Measured: ").append(Svg.esc(c.usage().toMap().toString())).append("</p>\n").toString();
    }

    private static String ms(double v) {
        return Double.isNaN(v) ? "-" : String.format(Locale.ROOT, "%.1f", v);
    }

    private static double[] unbox(List<Double> list) {
        return list.stream().mapToDouble(Double::doubleValue).toArray();
    }
}
