package dev.runnel.ingester.snapshot;

import io.prometheus.metrics.core.metrics.Counter;
import io.prometheus.metrics.core.metrics.Gauge;
import io.prometheus.metrics.core.metrics.GaugeWithCallback;
import io.prometheus.metrics.model.registry.PrometheusRegistry;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import org.apache.kafka.common.utils.Time;

/**
 * The snapshotters' metrics, label {@code partition}; registered once per registry and shared by
 * the ingesters of a process.
 */
public final class SnapshotMetrics {
    private final Time time;
    /** Per partition: when the heads were last known to be in a durable snapshot (ms). */
    private final Map<String, Long> coveredAt = new ConcurrentHashMap<>();
    private final Gauge bytes;
    private final Gauge duration;
    private final Counter taken;
    private final Counter failures;

    private SnapshotMetrics(PrometheusRegistry registry, Time time) {
        this.time = time;
        GaugeWithCallback.builder()
                .name("runnel_ingester_snapshot_age_seconds")
                .help("Seconds since the heads were last known to be in a durable snapshot (taken, loaded, or nothing new since).")
                .labelNames("partition")
                .callback(cb -> coveredAt.forEach((p, at) -> cb.call(Math.max(0, this.time.milliseconds() - at) / 1000.0, p)))
                .register(registry);
        bytes = Gauge.builder()
                .name("runnel_ingester_snapshot_last_bytes")
                .help("Bytes of the last snapshot taken.")
                .labelNames("partition")
                .register(registry);
        duration = Gauge.builder()
                .name("runnel_ingester_snapshot_last_duration_seconds")
                .help("Seconds the last snapshot took from capture to durable.")
                .labelNames("partition")
                .register(registry);
        taken = Counter.builder()
                .name("runnel_ingester_snapshots_total")
                .help("Snapshots made durable.")
                .labelNames("partition")
                .register(registry);
        failures = Counter.builder()
                .name("runnel_ingester_snapshot_failures_total")
                .help("Snapshots that failed (capture or upload); the next interval tries again.")
                .labelNames("partition")
                .register(registry);
    }

    public static SnapshotMetrics register(PrometheusRegistry registry, Time time) {
        return new SnapshotMetrics(registry, time);
    }

    /** One partition's data points. */
    Partition partition(int partitionId) {
        return new Partition(Integer.toString(partitionId));
    }

    final class Partition implements AutoCloseable {
        private final String partition;

        private Partition(String partition) {
            this.partition = partition;
            failures.labelValues(partition);
            taken.labelValues(partition);
        }

        /** The heads as of {@code atMs} are in a durable snapshot (loaded, or nothing changed since the last one). */
        void covered(long atMs) {
            coveredAt.put(partition, atMs);
        }

        void taken(long atMs, long snapshotBytes, double seconds) {
            covered(atMs);
            bytes.labelValues(partition).set(snapshotBytes);
            duration.labelValues(partition).set(seconds);
            taken.labelValues(partition).inc();
        }

        void failed() {
            failures.labelValues(partition).inc();
        }

        /** Stops reporting the age; counters keep their totals. */
        @Override
        public void close() {
            coveredAt.remove(partition);
        }
    }
}
