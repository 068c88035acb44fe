package dev.runnel.loadgen.cost;

import static dev.runnel.loadgen.report.TextTable.num;

import dev.runnel.loadgen.report.TextTable;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;

/** A {@link CostModel.Comparison} as a terminal table and as JSON-ready maps. */
public final class CostReport {
    private CostReport() {
    }

    public static String table(CostModel.Comparison c) {
        Usage u = c.usage();
        StringBuilder sb = new StringBuilder();
        sb.append(String.format(Locale.ROOT, "%ncost model (per month of 730 h at the measured rate; ingested = bytes produced to the log)%n"));
        sb.append(String.format(Locale.ROOT, "measured %.1f s: ingested %s MB, cross-zone %s MB, same-zone %s MB, unknown-zone %s MB,"
                        + " object store %s PUT / %s GET / %s LIST, %s MB put%n",
                u.seconds(), mb(u.ingestedBytes()), mb(u.crossZoneBytes()), mb(u.sameZoneBytes()), mb(u.unknownZoneBytes()),
                num(u.puts(), 0), num(u.gets(), 0), num(u.lists(), 0), mb(u.putBytes())));
        sb.append(String.format(Locale.ROOT, "ingested per month: %s GB%n", num(c.ingestedGbPerMonth(), 1)));
        List<String[]> rows = new ArrayList<>();
        rows.add(new String[] {"system", "item", "per month", "$/month", "$/GB ingested", "formula"});
        for (List<CostModel.Line> lines : List.of(c.runnel(), c.kafka())) {
            for (CostModel.Line l : lines) {
                rows.add(new String[] {l.system(), l.item(), num(l.quantityPerMonth(), 1) + " " + l.unit(),
                        num(l.dollarsPerMonth(), 2), num(l.dollarsPerGbIngested(), 5), l.formula()});
            }
            double total = lines.stream().mapToDouble(CostModel.Line::dollarsPerMonth).sum();
            rows.add(new String[] {lines.get(0).system(), "total", "", num(total, 2),
                    num(c.ingestedGbPerMonth() > 0 ? total / c.ingestedGbPerMonth() : Double.NaN, 5), ""});
        }
        int columns = rows.get(0).length;
        sb.append(TextTable.render(rows, i -> i < 2 || i == columns - 1));
        if (u.unknownZoneBytes() > 0) {
            sb.append("note: bytes with peers that did not name their zone are not priced (see unknown-zone above)\n");
        }
        return sb.toString();
    }

    public static Map<String, Object> toMap(CostModel.Comparison c) {
        Map<String, Object> m = new LinkedHashMap<>();
        Prices p = c.prices();
        Map<String, Object> prices = new LinkedHashMap<>();
        prices.put("cross_az_dollars_per_gb_each_way", p.crossAzPerGbEachWay());
        prices.put("put_dollars_per_1000", p.putPer1000());
        prices.put("get_dollars_per_1000", p.getPer1000());
        prices.put("object_storage_dollars_per_gb_month", p.objectGbMonth());
        prices.put("disk_dollars_per_gb_month", p.diskGbMonth());
        prices.put("retention_seconds", p.retention().toSeconds());
        prices.put("kafka_consumer_groups", p.kafkaConsumers());
        prices.put("seconds_per_month", CostModel.SECONDS_PER_MONTH);
        m.put("prices", prices);
        m.put("usage", c.usage().toMap());
        m.put("ingested_gb_per_month", c.ingestedGbPerMonth());
        m.put("runnel", lines(c.runnel()));
        m.put("runnel_total_dollars_per_month", c.runnelTotal());
        m.put("kafka_rf3", lines(c.kafka()));
        m.put("kafka_rf3_total_dollars_per_month", c.kafkaTotal());
        return m;
    }

    private static List<Object> lines(List<CostModel.Line> lines) {
        List<Object> out = new ArrayList<>();
        for (CostModel.Line l : lines) {
            Map<String, Object> m = new LinkedHashMap<>();
            m.put("item", l.item());
            m.put("formula", l.formula());
            m.put("quantity_per_month", l.quantityPerMonth());
            m.put("unit", l.unit());
            m.put("dollars_per_month", l.dollarsPerMonth());
            m.put("dollars_per_gb_ingested", l.dollarsPerGbIngested());
            out.add(m);
        }
        return out;
    }


    private static String mb(double bytes) {
        return num(bytes / 1e6, 2);
    }

}
