package dev.runnel.log.produce;

import io.prometheus.metrics.core.metrics.Counter;
import io.prometheus.metrics.core.metrics.Histogram;

/** What the produce path counts: flushes by trigger, object sizes and flush latency. */
final class ProduceMetrics {
    static final ProduceMetrics INSTANCE = new ProduceMetrics();

    private final Counter flushes = Counter.builder()
            .name("runnel_agent_flushes_total")
            .help("Segment flushes started, by what triggered them (time, size, shutdown).")
            .labelNames("reason")
            .register();
    private final Counter batches = Counter.builder()
            .name("runnel_agent_flushed_batches_total")
            .help("Record batches written in flushed segment objects.")
            .register();
    private final Histogram objectBytes = Histogram.builder()
            .name("runnel_agent_segment_bytes")
            .help("Size of the segment objects written, one per flush.")
            .classicExponentialUpperBounds(4096, 2, 14)
            .register();
    private final Histogram flushSeconds = Histogram.builder()
            .name("runnel_agent_flush_duration_seconds")
            .help("From the first batch of a flush window until its commit: the agent's produce latency.")
            .classicUpperBounds(0.05, 0.1, 0.2, 0.25, 0.3, 0.4, 0.5, 0.75, 1, 2, 5, 10, 30)
            .register();

    private final Histogram commitObjects = Histogram.builder()
            .name("runnel_agent_commit_objects")
            .help("Objects committed per metadata transaction: above 1 when flushes queue up and are group-committed.")
            .classicUpperBounds(1, 2, 3, 4, 6, 8, 12, 16)
            .register();

    private ProduceMetrics() {
    }

    void flush(String reason) {
        flushes.labelValues(reason).inc();
    }

    void committed(int objects) {
        commitObjects.observe(objects);
    }

    void flushed(int bytes, int batchCount, long nanos) {
        objectBytes.observe(bytes);
        batches.inc(batchCount);
        flushSeconds.observe(nanos / 1e9);
    }
}
