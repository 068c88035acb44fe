package dev.runnel.loadgen.cost;

import java.math.BigDecimal;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;

/**
 * Prices a run's {@link Usage} per month at the measured rate and per GB ingested, beside a classic Kafka
 * deployment carrying the same produced bytes: replication factor 3 over three zones, rack-aware, consumers
 * fetching from the leader. A month is 730 hours (AWS' convention). With {@code p} the ingested bytes per month
 * and {@code c} the consumer groups:
 *
 * <pre>
 *   producer → leader       p × 2/3    (the leader is in another zone 2 times out of 3)
 *   leader → followers      p × 2      (both followers are in other zones)
 *   leader → consumers      p × c × 2/3
 *   disks                   p × retention × 3 replicas × disk price
 * </pre>
 *
 * Every cross-zone byte is charged on both sides ({@code 2 × crossAzPerGbEachWay}). Every line carries its
 * formula, so a reader can check or redo the arithmetic.
 */
public final class CostModel {
    static final double SECONDS_PER_MONTH = 730 * 3600.0;
    private static final double GB = 1e9;

    private CostModel() {
    }

    /** One priced item: what it counts, how, how much per month and per GB ingested. */
    public record Line(String system, String item, String formula, double quantityPerMonth, String unit,
                       double dollarsPerMonth, double dollarsPerGbIngested) {
    }

    /** Both systems' lines, and what they were computed from. */
    public record Comparison(Usage usage, Prices prices, double ingestedGbPerMonth, List<Line> runnel, List<Line> kafka) {
        public double runnelTotal() {
            return runnel.stream().mapToDouble(Line::dollarsPerMonth).sum();
        }

        public double kafkaTotal() {
            return kafka.stream().mapToDouble(Line::dollarsPerMonth).sum();
        }
    }

    public static Comparison compare(Usage u, Prices p) {
        if (!(u.seconds() > 0)) {
            throw new IllegalArgumentException("the scrapes must be apart in time: " + u.seconds() + " s");
        }
        double perMonth = SECONDS_PER_MONTH / u.seconds();
        double ingestedGb = u.ingestedBytes() * perMonth / GB;
        double retentionMonths = p.retention().toSeconds() / SECONDS_PER_MONTH;
        double crossAz = 2 * p.crossAzPerGbEachWay();
        Builder runnel = new Builder("runnel", ingestedGb);
        runnel.add("cross-zone transfer", f("cross_zone_bytes/s × 2,628,000 s / 1e9 × 2 sides × $%s/GB", p.crossAzPerGbEachWay()),
                u.crossZoneBytes() * perMonth / GB, "GB", crossAz);
        runnel.add("object store PUT + LIST", f("(puts + lists)/s × 2,628,000 s / 1,000 × $%s", p.putPer1000()),
                (u.puts() + u.lists()) * perMonth, "requests", p.putPer1000() / 1000);
        runnel.add("object store GET", f("(gets + range gets)/s × 2,628,000 s / 1,000 × $%s", p.getPer1000()),
                u.gets() * perMonth, "requests", p.getPer1000() / 1000);
        runnel.add("object storage", f("put_bytes/s × retention %s s / 1e9 × $%s/GB-month", p.retention().toSeconds(), p.objectGbMonth()),
                u.putBytes() * perMonth / GB * retentionMonths, "GB stored", p.objectGbMonth());

        Builder kafka = new Builder("kafka-rf3", ingestedGb);
        kafka.add("producer → leader", f("ingested GB × 2/3 × 2 sides × $%s/GB", p.crossAzPerGbEachWay()),
                ingestedGb * 2 / 3, "GB", crossAz);
        kafka.add("leader → 2 followers", f("ingested GB × 2 × 2 sides × $%s/GB", p.crossAzPerGbEachWay()),
                ingestedGb * 2, "GB", crossAz);
        kafka.add("leader → " + p.kafkaConsumers() + " consumers",
                f("ingested GB × %s consumers × 2/3 × 2 sides × $%s/GB", p.kafkaConsumers(), p.crossAzPerGbEachWay()),
                ingestedGb * p.kafkaConsumers() * 2 / 3, "GB", crossAz);
        kafka.add("disks, 3 replicas", f("ingested GB/month × retention %s s / 2,628,000 s × 3 × $%s/GB-month",
                        p.retention().toSeconds(), p.diskGbMonth()),
                ingestedGb * retentionMonths * 3, "GB stored", p.diskGbMonth());
        return new Comparison(u, p, ingestedGb, runnel.lines, kafka.lines);
    }

    private static String f(String format, Object... args) {
        Object[] plain = new Object[args.length];
        for (int i = 0; i < args.length; i++) {
            plain[i] = args[i] instanceof Double d ? trim(d) : args[i];
        }
        return String.format(Locale.ROOT, format, plain);
    }

    /** 0.0004, never 4.0E-4: the formulas are read by people. */
    private static String trim(double d) {
        return BigDecimal.valueOf(d).stripTrailingZeros().toPlainString();
    }

    private static final class Builder {
        private final String system;
        private final double ingestedGb;
        private final List<Line> lines = new ArrayList<>();

        Builder(String system, double ingestedGb) {
            this.system = system;
            this.ingestedGb = ingestedGb;
        }

        void add(String item, String formula, double quantity, String unit, double unitPrice) {
            double dollars = quantity * unitPrice;
            lines.add(new Line(system, item, formula, quantity, unit, dollars, ingestedGb > 0 ? dollars / ingestedGb : Double.NaN));
        }
    }
}
