package dev.runnel.loadgen.series;

import java.time.Duration;
import java.util.List;

/**
 * The samples one {@link SeriesGenerator} hands out, as a pure function of their position: what a verifier needs to
 * know exactly which series, timestamp and value the sample at any position was, without keeping the samples.
 *
 * <p>The generator of tenant {@code t} and shard {@code s} owns the slots {@code s, s+S, s+2S, ...}; its
 * {@code owned()} slots take turns, so position {@code p} is scrape round {@code p / owned()} of owned slot
 * {@code j = p % owned()}. The sample there has timestamp {@code first + round*interval + offset(slot)} and value
 * {@code (round + 1) * (1 + slot % 7)}. Its series is the slot's current generation: churn event {@code e} (counted
 * from 0) replaces owned slot {@code e % owned()}, so after {@code churned} events slot {@code j} is at generation
 * {@code churned / owned() + (j < churned % owned() ? 1 : 0)}, and the series number is
 * {@code generation * tenantSeries + slot} (labels from {@link LabelSets}).
 */
public final class SampleSequence {
    private final int tenant;
    private final int shard;
    private final int shards;
    private final int tenantSeries;
    private final int labels;
    private final int owned;
    private final long intervalMillis;
    private final long firstTimestampMillis;

    public SampleSequence(int tenant, int shard, int shards, int tenantSeries, int labels, Duration scrapeInterval,
                          long firstTimestampMillis) {
        if (shard < 0 || shard >= shards) {
            throw new IllegalArgumentException("shard " + shard + " is not in [0, " + shards + ")");
        }
        if (tenantSeries < shards) {
            throw new IllegalArgumentException("active series per tenant (" + tenantSeries
                    + ") must be at least the number of shards (" + shards + ")");
        }
        if (scrapeInterval.toMillis() < 1) {
            throw new IllegalArgumentException("scrape interval must be at least 1ms: " + scrapeInterval.toMillis() + "ms");
        }
        this.tenant = tenant;
        this.shard = shard;
        this.shards = shards;
        this.tenantSeries = tenantSeries;
        this.labels = labels;
        this.owned = (tenantSeries - shard + shards - 1) / shards;
        this.intervalMillis = scrapeInterval.toMillis();
        this.firstTimestampMillis = firstTimestampMillis;
    }

    public int tenant() {
        return tenant;
    }

    public int shard() {
        return shard;
    }

    /** Shards (sequences) the tenant's series are split over. */
    public int shards() {
        return shards;
    }

    /** Active series of the whole tenant (over all shards). */
    public int tenantSeries() {
        return tenantSeries;
    }

    /** Slots this sequence owns: samples per scrape round. */
    public int owned() {
        return owned;
    }

    public long intervalMillis() {
        return intervalMillis;
    }

    public long firstTimestampMillis() {
        return firstTimestampMillis;
    }

    /** The tenant slot of owned slot {@code j}. */
    int slot(int j) {
        return shard + j * shards;
    }

    /** Where in the scrape interval the targets of a slot are scraped. */
    long offsetMillis(int slot) {
        return (long) ((double) slot / tenantSeries * intervalMillis);
    }

    long timestamp(long round, int j) {
        return firstTimestampMillis + round * intervalMillis + offsetMillis(slot(j));
    }

    /** Counters that grow every round, at a pace that differs between series. */
    double value(long round, int j) {
        return (double) (round + 1) * (1 + slot(j) % 7);
    }

    public long timestamp(long position) {
        return timestamp(position / owned, (int) (position % owned));
    }

    public double value(long position) {
        return value(position / owned, (int) (position % owned));
    }

    /** The series number (unique within the tenant) of the sample at {@code position} after {@code churned} events. */
    public long seriesId(long position, long churned) {
        int j = (int) (position % owned);
        long generation = churned / owned + (j < churned % owned ? 1 : 0);
        return generation * tenantSeries + slot(j);
    }

    /** The label set of series number {@code id} of this tenant. */
    public Series series(long id) {
        return LabelSets.of(id, labels);
    }

    /**
     * The position at which series {@code id} of this tenant has a sample at {@code timestampMillis}, or -1 when
     * this sequence never sends that series a sample at that time (another shard's slot, off the scrape grid, before
     * the first round). The series' generation is not checked: that depends on the churn seen at the position.
     */
    public long position(long id, long timestampMillis) {
        if (id < 0) {
            return -1;
        }
        int slot = (int) (id % tenantSeries);
        if (slot % shards != shard) {
            return -1;
        }
        long sinceFirst = timestampMillis - firstTimestampMillis - offsetMillis(slot);
        if (sinceFirst < 0 || sinceFirst % intervalMillis != 0) {
            return -1;
        }
        return sinceFirst / intervalMillis * owned + slot / shards;
    }

    /** Which sequence of a tenant sends series {@code id}: the shard its slot belongs to. */
    public static int shardOf(long id, int tenantSeries, int shards) {
        return (int) (id % tenantSeries % shards);
    }

    /** Every metric name a series may have. */
    public static List<String> metricNames() {
        return List.of(LabelSets.METRICS);
    }

    /**
     * The series number of the label set with this metric name and instance (the two labels that make a series of a
     * tenant unique), or -1 when loadgen never makes such a pair.
     */
    public static long seriesId(String metricName, String instance) {
        return LabelSets.idOf(metricName, instance);
    }

    @Override
    public String toString() {
        return "tenant " + tenant + " shard " + shard + " (" + owned + " series)";
    }
}
