package dev.runnel.distributor.sharding;

import dev.runnel.distributor.write.MetricMetadata;
import dev.runnel.distributor.write.WriteBatch;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;

/**
 * Groups a request's series by the partition they are written to: every series that no stage
 * dropped, and each metric family's metadata where the series {@code {__name__="<family>"}}
 * goes. The per-partition arrays are kept and reused by the next request, so sharding
 * allocates nothing per series once they have grown. Not thread-safe: one per thread, and a
 * result is valid until the next {@link #shard}.
 */
public final class Sharder {

    private final PartitionSelector selector;
    /** By partition id: the series indexes sent there, the first {@code counts[p]} valid. */
    private int[][] series = new int[0][];
    private int[] counts = new int[0];
    private List<MetricMetadata>[] metadata = newListArray(0);
    /** Partitions this request touches, in order of first use. */
    private int[] touched = new int[8];
    private int touchedCount;

    public Sharder(PartitionSelector selector) {
        this.selector = selector;
    }

    public void shard(String tenant, WriteBatch batch) {
        for (int i = 0; i < touchedCount; i++) {
            int p = touched[i];
            counts[p] = 0;
            if (metadata[p] != null) {
                metadata[p].clear();
            }
        }
        touchedCount = 0;
        long tenantHash = SeriesHash.ofTenant(tenant);
        for (int s = 0; s < batch.seriesCount(); s++) {
            if (batch.isDropped(s)) {
                continue;
            }
            int p = touch(selector.partitionFor(tenant, SeriesHash.of(tenantHash, batch, s)));
            if (counts[p] == series[p].length) {
                series[p] = Arrays.copyOf(series[p], Math.max(16, series[p].length * 2));
            }
            series[p][counts[p]++] = s;
        }
        for (MetricMetadata m : batch.metadata()) {
            int p = touch(selector.partitionFor(tenant, SeriesHash.ofMetricName(tenant, m.family())));
            if (metadata[p] == null) {
                metadata[p] = new ArrayList<>(4);
            }
            metadata[p].add(m);
        }
    }

    /** How many partitions the last request writes to. */
    public int partitions() {
        return touchedCount;
    }

    /** The id of the {@code i}-th partition written to, {@code 0 <= i < partitions()}. */
    public int partition(int i) {
        return touched[i];
    }

    /** The series indexes for the {@code i}-th partition; only the first {@link #seriesCount(int)} are valid. */
    public int[] series(int i) {
        return series[touched[i]];
    }

    public int seriesCount(int i) {
        return counts[touched[i]];
    }

    /** The metric metadata for the {@code i}-th partition. */
    public List<MetricMetadata> metadata(int i) {
        List<MetricMetadata> m = metadata[touched[i]];
        return m == null ? List.of() : m;
    }

    private int touch(int p) {
        if (p < 0) {
            throw new IllegalStateException(selector + " chose a negative partition: " + p);
        }
        if (p >= counts.length) {
            int n = Math.max(p + 1, counts.length * 2);
            counts = Arrays.copyOf(counts, n);
            metadata = Arrays.copyOf(metadata, n);
            int old = series.length;
            series = Arrays.copyOf(series, n);
            for (int i = old; i < n; i++) {
                series[i] = new int[16];
            }
        }
        if (counts[p] == 0 && (metadata[p] == null || metadata[p].isEmpty())) { // first use in this request
            if (touchedCount == touched.length) {
                touched = Arrays.copyOf(touched, touchedCount * 2);
            }
            touched[touchedCount++] = p;
        }
        return p;
    }

    @SuppressWarnings("unchecked")
    private static <T> List<T>[] newListArray(int n) {
        return (List<T>[]) new List[n];
    }
}
