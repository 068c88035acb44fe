package dev.runnel.loadgen.series;

import java.time.Duration;

/**
 * The samples of one tenant's series owned by one shard, scrape after scrape.
 *
 * <p>A tenant has {@code tenantSeries} active series in slots {@code 0..tenantSeries-1}; shard {@code s} of
 * {@code S} owns the slots {@code s, s+S, s+2S, ...}, so every series always travels through the same shard and
 * its samples arrive in order (Prometheus shards by series for the same reason). Samples are handed out scrape
 * by scrape: round {@code r} gives every owned series one sample at
 * {@code firstTimestamp + r*scrapeInterval + offset(slot)}, where the offset (less than one interval) spreads the
 * targets over the interval as real scrapes are. Timestamps are therefore strictly increasing per series.
 *
 * <p>Churn replaces series at {@code churnPerMinute} (wall-clock, from {@code nowNanos}), cycling through the
 * owned slots: the slot gets a new generation, and its series number {@code generation*tenantSeries + slot}
 * (unique within the tenant) yields a new label set. Values are counters that grow every round.
 */
public final class SeriesGenerator {
    private final int tenant;
    private final int tenantSeries;
    private final int labels;
    private final int[] slots;
    private final long[] generations;
    private final Series[] series;
    private final long[] offsetsMillis;
    private final long intervalMillis;
    private final long firstTimestampMillis;
    private final double churnPerNano;
    private final long startNanos;
    private long churned;
    private int cursor;
    private long round;

    /**
     * @param churnPerMinute series this generator replaces per minute (its share of the total)
     * @param startNanos when churn starts counting, on the clock of {@code next}'s {@code nowNanos}
     */
    public SeriesGenerator(int tenant, int shard, int shards, int tenantSeries, int labels, double churnPerMinute,
                           Duration scrapeInterval, long firstTimestampMillis, long startNanos) {
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
        if (churnPerMinute < 0) {
            throw new IllegalArgumentException("churn must not be negative: " + churnPerMinute);
        }
        this.tenant = tenant;
        this.tenantSeries = tenantSeries;
        this.labels = labels;
        int owned = (tenantSeries - shard + shards - 1) / shards;
        this.slots = new int[owned];
        this.generations = new long[owned];
        this.series = new Series[owned];
        this.offsetsMillis = new long[owned];
        this.intervalMillis = scrapeInterval.toMillis();
        for (int j = 0; j < owned; j++) {
            slots[j] = shard + j * shards;
            series[j] = LabelSets.of(slots[j], labels);
            offsetsMillis[j] = (long) ((double) slots[j] / tenantSeries * intervalMillis);
        }
        this.firstTimestampMillis = firstTimestampMillis;
        this.churnPerNano = churnPerMinute / 60e9;
        this.startNanos = startNanos;
    }

    /** Replaces {@code batch}'s content with the next {@code n} samples (n at most the batch's capacity). */
    public void next(int n, long nowNanos, Batch batch) {
        churn(nowNanos);
        batch.clear(tenant);
        for (int i = 0; i < n; i++) {
            int j = cursor;
            batch.add(series[j], firstTimestampMillis + round * intervalMillis + offsetsMillis[j],
                    (double) (round + 1) * (1 + slots[j] % 7));
            if (++cursor == slots.length) {
                cursor = 0;
                round++;
            }
        }
    }

    private void churn(long nowNanos) {
        long due = (long) (Math.max(0, nowNanos - startNanos) * churnPerNano);
        for (; churned < due; churned++) {
            int j = (int) (churned % slots.length);
            generations[j]++;
            series[j] = LabelSets.of(generations[j] * tenantSeries + slots[j], labels);
        }
    }

    /** The timestamp the current scrape round started at: where this generator's data clock stands. */
    public long dataClockMillis() {
        return firstTimestampMillis + round * intervalMillis;
    }

    /** Series owned by this generator. */
    public int activeSeries() {
        return slots.length;
    }

    /** Series replaced so far. */
    public long churned() {
        return churned;
    }
}
