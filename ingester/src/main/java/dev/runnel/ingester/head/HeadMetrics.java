package dev.runnel.ingester.head;

import io.prometheus.metrics.core.metrics.CounterWithCallback;
import io.prometheus.metrics.core.metrics.GaugeWithCallback;
import io.prometheus.metrics.model.registry.PrometheusRegistry;

/**
 * The heads' sizes and counters as Prometheus metrics, read from the heads at scrape time, so
 * appending costs nothing extra. Label {@code user} is the tenant, as in Mimir.
 */
public final class HeadMetrics {

    private HeadMetrics() {
    }

    public static void register(PrometheusRegistry registry, Heads heads) {
        GaugeWithCallback.builder()
                .name("runnel_ingester_head_series")
                .help("Series in the tenant's in-memory head.")
                .labelNames("user")
                .callback(cb -> heads.all().forEach(h -> cb.call(h.seriesCount(), h.tenant())))
                .register(registry);
        GaugeWithCallback.builder()
                .name("runnel_ingester_head_chunks")
                .help("Chunks in the tenant's in-memory head.")
                .labelNames("user")
                .callback(cb -> heads.all().forEach(h -> cb.call(h.chunkCount(), h.tenant())))
                .register(registry);
        GaugeWithCallback.builder()
                .name("runnel_ingester_head_chunk_bytes")
                .help("Bytes of encoded samples in the tenant's head chunks.")
                .labelNames("user")
                .callback(cb -> heads.all().forEach(h -> cb.call(h.chunkBytes(), h.tenant())))
                .register(registry);
        CounterWithCallback.builder()
                .name("runnel_ingester_head_samples_appended_total")
                .help("Samples appended to the tenant's head.")
                .labelNames("user")
                .callback(cb -> heads.all().forEach(h -> cb.call(h.samplesAppended(), h.tenant())))
                .register(registry);
        CounterWithCallback.builder()
                .name("runnel_ingester_head_samples_discarded_total")
                .help("Samples the tenant's head did not keep, by reason.")
                .labelNames("user", "reason")
                .callback(cb -> heads.all().forEach(h -> {
                    for (DiscardReason r : DiscardReason.values()) {
                        cb.call(h.discarded(r), h.tenant(), r.label());
                    }
                }))
                .register(registry);
    }
}
