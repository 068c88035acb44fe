package dev.runnel.ring;

import io.prometheus.metrics.core.metrics.Counter;
import io.prometheus.metrics.core.metrics.Gauge;
import io.prometheus.metrics.model.registry.PrometheusRegistry;

/** The ring as readers last saw it, and the failures of reading and writing it. */
final class RingMetrics {
    static final RingMetrics DEFAULT = new RingMetrics(PrometheusRegistry.defaultRegistry);

    private final Gauge partitions;
    private final Counter pollFailures;
    private final Counter casConflicts;
    private final Counter heartbeatFailures;

    RingMetrics(PrometheusRegistry registry) {
        partitions = Gauge.builder()
                .name("runnel_partition_ring_partitions")
                .help("Partitions in the ring as last read by this process, by state.")
                .labelNames("state")
                .register(registry);
        pollFailures = Counter.builder()
                .name("runnel_partition_ring_poll_failures_total")
                .help("Reads of the partition ring that failed; the last ring read stays in use.")
                .register(registry);
        casConflicts = Counter.builder()
                .name("runnel_partition_ring_cas_conflicts_total")
                .help("Ring updates that lost a compare-and-set to another writer and were retried.")
                .register(registry);
        heartbeatFailures = Counter.builder()
                .name("runnel_partition_ring_heartbeat_failures_total")
                .help("Ingester heartbeats into the partition ring that failed.")
                .register(registry);
    }

    void observed(PartitionRing ring) {
        for (PartitionState state : PartitionState.values()) {
            partitions.labelValues(state.name()).set(ring.count(state));
        }
    }

    void pollFailed() {
        pollFailures.inc();
    }

    void casConflict() {
        casConflicts.inc();
    }

    void heartbeatFailed() {
        heartbeatFailures.inc();
    }

    double partitions(PartitionState state) {
        return partitions.labelValues(state.name()).get();
    }

    double pollFailures() {
        return pollFailures.get();
    }

    double casConflicts() {
        return casConflicts.get();
    }

    double heartbeatFailures() {
        return heartbeatFailures.get();
    }
}
