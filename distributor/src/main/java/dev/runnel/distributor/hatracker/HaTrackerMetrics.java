package dev.runnel.distributor.hatracker;

import io.prometheus.metrics.core.metrics.Counter;
import io.prometheus.metrics.core.metrics.Gauge;
import io.prometheus.metrics.model.registry.PrometheusRegistry;

/** Elections and store trouble of the HA tracker, named after Mimir's {@code cortex_ha_tracker_*}. */
final class HaTrackerMetrics {

    private final Counter electedReplicaChanges;
    private final Gauge electedReplicaTimestamp;
    private final Counter storeFailures;

    HaTrackerMetrics(PrometheusRegistry registry) {
        electedReplicaChanges = Counter.builder()
                .name("runnel_ha_tracker_elected_replica_changes_total")
                .help("Failovers this distributor made from one elected replica of an HA pair to another.")
                .labelNames("user", "cluster")
                .register(registry);
        electedReplicaTimestamp = Gauge.builder()
                .name("runnel_ha_tracker_elected_replica_timestamp_seconds")
                .help("When the elected replica of an HA pair was last recorded as sending, in Unix seconds.")
                .labelNames("user", "cluster")
                .register(registry);
        storeFailures = Counter.builder()
                .name("runnel_ha_tracker_kv_store_failures_total")
                .help("HA election reads and writes that failed; elections are then decided locally.")
                .register(registry);
    }

    void changed(String tenant, String cluster) {
        electedReplicaChanges.labelValues(tenant, cluster).inc();
    }

    void received(String tenant, String cluster, long millis) {
        electedReplicaTimestamp.labelValues(tenant, cluster).set(millis / 1000.0);
    }

    void storeFailed() {
        storeFailures.inc();
    }
}
