package dev.runnel.ingester.consume;

import io.prometheus.metrics.core.datapoints.CounterDataPoint;
import io.prometheus.metrics.core.metrics.Counter;
import io.prometheus.metrics.core.metrics.GaugeWithCallback;
import io.prometheus.metrics.model.registry.PrometheusRegistry;
import java.util.Map;
import java.util.concurrent.ConcurrentSkipListMap;
import java.util.function.ToDoubleFunction;

/**
 * The partition consumers' metrics, label {@code partition}: registered once per registry and
 * shared by every consumer of the process (one per partition with {@code -target=all}). Offsets
 * and lag are read from each consumer's {@link Progress} at scrape time; counters are incremented
 * by the consumer threads.
 */
public final class ConsumerMetrics {
    private final Map<String, Progress> progressByPartition = new ConcurrentSkipListMap<>();
    private final Counter consumed;
    private final Counter samples;
    private final Counter resets;
    private final Counter skipped;

    private ConsumerMetrics(PrometheusRegistry registry) {
        gauge(registry, "runnel_ingester_partition_consumed_offset",
                "Offset of the last record the consumer applied to the heads; -1 before the first.", p -> p.nextOffset() - 1);
        gauge(registry, "runnel_ingester_partition_lag_records",
                "Records between the last applied record and the end of the partition.", Progress::lagRecords);
        gauge(registry, "runnel_ingester_partition_lag_seconds",
                "Now minus the timestamp of the last applied record while records are left to apply; 0 when caught up.",
                Progress::lagSeconds);
        consumed = Counter.builder()
                .name("runnel_ingester_partition_records_consumed_total")
                .help("Records read from the partition, applied or skipped.")
                .labelNames("partition")
                .register(registry);
        samples = Counter.builder()
                .name("runnel_ingester_partition_replay_samples_total")
                .help("Samples the partition's records appended to the heads.")
                .labelNames("partition")
                .register(registry);
        resets = Counter.builder()
                .name("runnel_ingester_partition_offset_resets_total")
                .help("Times the consumer's offset was gone from the log (deleted by retention) and it restarted at the earliest offset.")
                .labelNames("partition")
                .register(registry);
        skipped = Counter.builder()
                .name("runnel_ingester_records_skipped_total")
                .help("Records skipped because they could not be read, by reason.")
                .labelNames("partition", "reason")
                .register(registry);
    }

    /** Registers the consumers' metrics in {@code registry}; once per registry. */
    public static ConsumerMetrics register(PrometheusRegistry registry) {
        return new ConsumerMetrics(registry);
    }

    private void gauge(PrometheusRegistry registry, String name, String help, ToDoubleFunction<Progress> value) {
        GaugeWithCallback.builder().name(name).help(help).labelNames("partition")
                .callback(cb -> progressByPartition.forEach((partition, progress) -> cb.call(value.applyAsDouble(progress), partition)))
                .register(registry);
    }

    /** The metrics of one consumer; its gauges are reported until {@link Partition#close()}. */
    Partition partition(int partitionId, Progress progress) {
        String partition = Integer.toString(partitionId);
        if (progressByPartition.putIfAbsent(partition, progress) != null) {
            throw new IllegalStateException("partition " + partitionId + " already has a consumer reporting metrics");
        }
        return new Partition(partition, progress);
    }

    /** One consumer's data points. */
    final class Partition implements AutoCloseable {
        private final String partition;
        private final Progress progress;
        private final CounterDataPoint consumedRecords;
        private final CounterDataPoint replayedSamples;
        private final CounterDataPoint offsetResets;

        private Partition(String partition, Progress progress) {
            this.partition = partition;
            this.progress = progress;
            consumedRecords = consumed.labelValues(partition);
            replayedSamples = samples.labelValues(partition);
            offsetResets = resets.labelValues(partition);
        }

        void consumed(int records) {
            consumedRecords.inc(records);
        }

        void samples(long appended) {
            if (appended > 0) {
                replayedSamples.inc(appended);
            }
        }

        void offsetReset() {
            offsetResets.inc();
        }

        void skipped(String reason) {
            skipped.labelValues(partition, reason).inc();
        }

        /** Stops reporting the consumer's offset and lag; the counters keep their totals. */
        @Override
        public void close() {
            progressByPartition.remove(partition, progress);
        }
    }
}
