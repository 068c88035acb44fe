package dev.runnel.ingester.consume;

import io.prometheus.metrics.core.datapoints.CounterDataPoint;
import io.prometheus.metrics.core.metrics.Counter;
import io.prometheus.metrics.core.metrics.GaugeWithCallback;
import io.prometheus.metrics.model.registry.PrometheusRegistry;

/**
 * A partition consumer's metrics, label {@code partition}. Offsets and lag are read from its
 * {@link Progress} at scrape time; counters are incremented by the consumer thread.
 */
final class ConsumerMetrics {
    private final Counter skipped;
    private final String partition;
    private final CounterDataPoint consumed;
    private final CounterDataPoint samples;
    private final CounterDataPoint resets;

    ConsumerMetrics(PrometheusRegistry registry, int partitionId, Progress progress) {
        partition = Integer.toString(partitionId);
        GaugeWithCallback.builder()
                .name("runnel_ingester_partition_consumed_offset")
                .help("Offset of the last record the consumer applied to the heads; -1 before the first.")
                .labelNames("partition")
                .callback(cb -> cb.call(progress.nextOffset() - 1, partition))
                .register(registry);
        GaugeWithCallback.builder()
                .name("runnel_ingester_partition_lag_records")
                .help("Records between the last applied record and the end of the partition.")
                .labelNames("partition")
                .callback(cb -> cb.call(progress.lagRecords(), partition))
                .register(registry);
        GaugeWithCallback.builder()
                .name("runnel_ingester_partition_lag_seconds")
                .help("Now minus the timestamp of the last applied record while records are left to apply; 0 when caught up.")
                .labelNames("partition")
                .callback(cb -> cb.call(progress.lagSeconds(), partition))
                .register(registry);
        consumed = Counter.builder()
                .name("runnel_ingester_partition_records_consumed_total")
                .help("Records read from the partition, applied or skipped.")
                .labelNames("partition")
                .register(registry).labelValues(partition);
        samples = Counter.builder()
                .name("runnel_ingester_partition_replay_samples_total")
                .help("Samples the partition's records appended to the heads.")
                .labelNames("partition")
                .register(registry).labelValues(partition);
        resets = Counter.builder()
                .name("runnel_ingester_partition_offset_resets_total")
                .help("Times the consumer's offset was gone from the log (deleted by retention) and it restarted at the earliest offset.")
                .labelNames("partition")
                .register(registry).labelValues(partition);
        skipped = Counter.builder()
                .name("runnel_ingester_records_skipped_total")
                .help("Records skipped because they could not be read, by reason.")
                .labelNames("partition", "reason")
                .register(registry);
    }

    void consumed(int records) {
        consumed.inc(records);
    }

    void samples(long appended) {
        if (appended > 0) {
            samples.inc(appended);
        }
    }

    void offsetReset() {
        resets.inc();
    }

    void skipped(String reason) {
        skipped.labelValues(partition, reason).inc();
    }
}
