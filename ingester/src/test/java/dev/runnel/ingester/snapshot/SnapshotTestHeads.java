package dev.runnel.ingester.snapshot;

import dev.runnel.ingester.head.HeadConfig;
import dev.runnel.ingester.head.Heads;
import dev.runnel.ingester.head.TenantHead;
import dev.runnel.ingester.labels.Labels;
import dev.runnel.ingester.query.MetricMetadata;
import dev.runnel.proto.prometheus.write.v2.Histogram;
import java.time.Duration;

/** Heads with every kind of state a snapshot must keep, filled step by step the same way every time. */
final class SnapshotTestHeads {
    /** Prometheus' stale marker: a NaN with this payload. */
    static final long STALE = 0x7ff0000000000002L;
    static final HeadConfig CONFIG = new HeadConfig(Duration.ofHours(2), Duration.ofHours(1), 10_000);

    private SnapshotTestHeads() {
    }

    static Heads filled(int steps) {
        Heads heads = new Heads(CONFIG);
        fill(heads, 0, steps);
        return heads;
    }

    /**
     * Steps {@code [from, to)}, 15 s apart: float samples with stale markers and duplicates, a
     * histogram series (with stale histograms), a series switching between floats and histograms,
     * one with out-of-order samples (chunks of both kinds), a series that never got a sample,
     * metadata, and a second tenant.
     */
    static void fill(Heads heads, int from, int to) {
        TenantHead a = heads.forTenant("a");
        TenantHead b = heads.forTenant("b");
        int up = a.refOf(Labels.of("__name__", "up", "instance", "host:9090", "job", "node"));
        int latency = a.refOf(Labels.of("__name__", "latency", "job", "api"));
        int mixed = a.refOf(Labels.of("__name__", "mixed", "job", "api"));
        int late = a.refOf(Labels.of("__name__", "late", "job", "batch"));
        a.refOf(Labels.of("__name__", "never", "job", "batch"));
        int other = b.refOf(Labels.of("__name__", "up", "job", "b"));
        for (int i = from; i < to; i++) {
            long t = 1_000_000L + i * 15_000L;
            a.append(up, t, i % 50 == 49 ? Double.longBitsToDouble(STALE) : Math.sin(i) * 1000);
            if (i % 3 == 0) {
                a.append(up, t, 12345); // same timestamp, another value: a duplicate, discarded
            }
            a.appendHistogram(latency, t, histogram(i, i % 40 == 39));
            if ((i / 10) % 2 == 0) {
                a.append(mixed, t, -0.0);
            } else {
                a.appendHistogram(mixed, t, histogram(i, false));
            }
            a.append(late, t, i);
            if (i >= 10) {
                a.append(late, t - 7_500, -i); // out of order, between two in-order samples
            }
            b.append(other, t, i * 0.5);
            if (i == 5) {
                a.setMetadata(new MetricMetadata("up", "gauge", "Whether the target is up.", ""));
                b.setMetadata(new MetricMetadata("up", "gauge", "Up in b.", "bool"));
            }
        }
    }

    static Histogram histogram(int i, boolean stale) {
        return Histogram.newBuilder().setCountInt(i).setSum(stale ? Double.longBitsToDouble(STALE) : i * 1.5).setSchema(i % 4)
                .setZeroThreshold(0.001).setTimestamp(1_000_000L + i * 15_000L).build();
    }
}
