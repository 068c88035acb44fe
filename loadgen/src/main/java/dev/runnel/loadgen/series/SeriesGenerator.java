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
 * (unique within the tenant) yields a new label set. Values are counters that grow every round. The exact
 * timestamps, values and series are those of {@link SampleSequence}.
 */
public final class SeriesGenerator {
    private final SampleSequence sequence;
    private final long[] generations;
    private final Series[] series;
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
        if (churnPerMinute < 0) {
            throw new IllegalArgumentException("churn must not be negative: " + churnPerMinute);
        }
        this.sequence = new SampleSequence(tenant, shard, shards, tenantSeries, labels, scrapeInterval,
                firstTimestampMillis);
        int owned = sequence.owned();
        this.generations = new long[owned];
        this.series = new Series[owned];
        for (int j = 0; j < owned; j++) {
            series[j] = sequence.series(sequence.slot(j));
        }
        this.churnPerNano = churnPerMinute / 60e9;
        this.startNanos = startNanos;
    }

    /** Replaces {@code batch}'s content with the next {@code n} samples (n at most the batch's capacity). */
    public void next(int n, long nowNanos, Batch batch) {
        churn(nowNanos);
        batch.clear(sequence, position(), churned);
        for (int i = 0; i < n; i++) {
            int j = cursor;
            batch.add(series[j], sequence.timestamp(round, j), sequence.value(round, j));
            if (++cursor == series.length) {
                cursor = 0;
                round++;
            }
        }
    }

    private void churn(long nowNanos) {
        long due = (long) (Math.max(0, nowNanos - startNanos) * churnPerNano);
        for (; churned < due; churned++) {
            int j = (int) (churned % series.length);
            generations[j]++;
            series[j] = sequence.series(generations[j] * sequence.tenantSeries() + sequence.slot(j));
        }
    }

    /** The timestamp the current scrape round started at: where this generator's data clock stands. */
    public long dataClockMillis() {
        return sequence.firstTimestampMillis() + round * sequence.intervalMillis();
    }

    /** Samples handed out so far: the position of the next one in {@link #sequence()}. */
    public long position() {
        return round * series.length + cursor;
    }

    /** What this generator hands out, as a function of the position. */
    public SampleSequence sequence() {
        return sequence;
    }

    /** Series owned by this generator. */
    public int activeSeries() {
        return series.length;
    }

    /** Series replaced so far. */
    public long churned() {
        return churned;
    }
}
