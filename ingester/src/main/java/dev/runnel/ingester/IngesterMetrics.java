package dev.runnel.ingester;

import dev.runnel.ingester.consume.ConsumerMetrics;
import dev.runnel.ingester.head.HeadMetrics;
import dev.runnel.ingester.snapshot.SnapshotMetrics;
import io.prometheus.metrics.model.registry.PrometheusRegistry;
import org.apache.kafka.common.utils.Time;

/** The metrics every ingester of a process reports into: registered once, shared by the ingesters of all partitions. */
public record IngesterMetrics(ConsumerMetrics consumers, HeadMetrics heads, SnapshotMetrics snapshots) {

    public static IngesterMetrics register(PrometheusRegistry registry) {
        return register(registry, Time.SYSTEM);
    }

    /** With the clock snapshot ages are measured on. */
    public static IngesterMetrics register(PrometheusRegistry registry, Time time) {
        return new IngesterMetrics(ConsumerMetrics.register(registry), HeadMetrics.register(registry),
                SnapshotMetrics.register(registry, time));
    }
}
