package dev.runnel.loadgen;

import dev.runnel.loadgen.send.Target;
import dev.runnel.loadgen.series.SeriesGenerator;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;

/**
 * What to send: the series (how many, how labelled, how fast they churn, their scrape interval) and how the
 * requests are cut (samples per request, shards, tenants). The active series are split evenly over tenants, and
 * each tenant's over the shards.
 *
 * @param firstTimestampMillis the timestamp of the first scrape round
 */
record Workload(Target target, int activeSeries, int labelsPerSeries, double churnPerMinute,
                int samplesPerRequest, int shards, int tenants, Duration scrapeInterval, long firstTimestampMillis) {
    Workload {
        positive("active series", activeSeries);
        positive("samples per request", samplesPerRequest);
        positive("concurrency", shards);
        positive("tenants", tenants);
        if (activeSeries < (long) shards * tenants) {
            throw new IllegalArgumentException("active series (" + activeSeries + ") must be at least concurrency x tenants ("
                    + shards + " x " + tenants + "): every shard sends every tenant's series");
        }
        if (churnPerMinute < 0) {
            throw new IllegalArgumentException("series churn per minute must not be negative: " + churnPerMinute);
        }
    }

    private static void positive(String what, long value) {
        if (value < 1) {
            throw new IllegalArgumentException(what + " must be at least 1: " + value);
        }
    }

    /** Per shard, one generator per tenant. Churn starts counting at {@code startNanos} (System.nanoTime). */
    List<List<SeriesGenerator>> generators(long startNanos) {
        List<List<SeriesGenerator>> perShard = new ArrayList<>();
        for (int shard = 0; shard < shards; shard++) {
            List<SeriesGenerator> tenantsOfShard = new ArrayList<>();
            for (int tenant = 0; tenant < tenants; tenant++) {
                int tenantSeries = activeSeries / tenants + (tenant < activeSeries % tenants ? 1 : 0);
                int owned = (tenantSeries - shard + shards - 1) / shards;
                tenantsOfShard.add(new SeriesGenerator(tenant, shard, shards, tenantSeries, labelsPerSeries,
                        churnPerMinute * owned / activeSeries, scrapeInterval, firstTimestampMillis, startNanos));
            }
            perShard.add(tenantsOfShard);
        }
        return perShard;
    }
}
