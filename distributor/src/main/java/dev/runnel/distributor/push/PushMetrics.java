package dev.runnel.distributor.push;

import io.prometheus.metrics.core.metrics.Counter;

/** What the distributor accepted and wrote to the log, per tenant. */
final class PushMetrics {
    static final PushMetrics INSTANCE = new PushMetrics();

    private final Counter samples = Counter.builder()
            .name("runnel_distributor_received_samples_total")
            .help("Samples (floats and native histograms) written to the log, after validation and deduplication, by tenant.")
            .labelNames("user")
            .register();
    private final Counter exemplars = Counter.builder()
            .name("runnel_distributor_received_exemplars_total")
            .help("Exemplars written to the log, by tenant.")
            .labelNames("user")
            .register();
    private final Counter metadata = Counter.builder()
            .name("runnel_distributor_received_metadata_total")
            .help("Metric family metadata written to the log, by tenant.")
            .labelNames("user")
            .register();

    private PushMetrics() {
    }

    void received(String tenant, long sampleCount, long exemplarCount, long metadataCount) {
        samples.labelValues(tenant).inc(sampleCount);
        exemplars.labelValues(tenant).inc(exemplarCount);
        metadata.labelValues(tenant).inc(metadataCount);
    }
}
