package dev.runnel.log.retention;

import io.prometheus.metrics.core.metrics.Counter;

/** What retention and object garbage collection count (one set per process: several jobs add up). */
final class RetentionMetrics {
    static final RetentionMetrics INSTANCE = new RetentionMetrics();

    final Counter deletedEntries = Counter.builder()
            .name("runnel_retention_deleted_entries_total")
            .help("Index entries deleted by retention.")
            .register();
    final Counter deletedObjects = Counter.builder()
            .name("runnel_retention_deleted_objects_total")
            .help("Objects deleted from object storage: dead (no longer referenced, after the grace period) "
                    + "or orphan (never committed).")
            .labelNames("reason")
            .register();
    final Counter runs = Counter.builder()
            .name("runnel_retention_runs_total")
            .help("Retention runs, by outcome: success, or failure when any step of the run failed.")
            .labelNames("outcome")
            .register();

    private RetentionMetrics() {
    }
}
