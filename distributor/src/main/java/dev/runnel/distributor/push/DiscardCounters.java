package dev.runnel.distributor.push;

import io.prometheus.metrics.core.metrics.Counter;
import io.prometheus.metrics.model.registry.PrometheusRegistry;

/**
 * What the push stages rejected, by reason and tenant: Mimir's
 * {@code cortex_discarded_samples_total} and its exemplar and metadata siblings. Every stage
 * of a distributor shares one instance; reasons are snake_case ({@code label_name_too_long},
 * {@code too_far_in_future}, {@code rate_limited}, {@code ha_dedupe}, ...).
 */
public final class DiscardCounters {

    private final Counter samples;
    private final Counter exemplars;
    private final Counter metadata;

    public DiscardCounters(PrometheusRegistry registry) {
        samples = Counter.builder()
                .name("runnel_distributor_discarded_samples_total")
                .help("Samples (float and native histogram) rejected by the distributor, by reason and tenant.")
                .labelNames("reason", "user")
                .register(registry);
        exemplars = Counter.builder()
                .name("runnel_distributor_discarded_exemplars_total")
                .help("Exemplars rejected by the distributor, by reason and tenant.")
                .labelNames("reason", "user")
                .register(registry);
        metadata = Counter.builder()
                .name("runnel_distributor_discarded_metadata_total")
                .help("Metric metadata rejected by the distributor, by reason and tenant.")
                .labelNames("reason", "user")
                .register(registry);
    }

    public void samples(String reason, String tenant, long count) {
        if (count > 0) {
            samples.labelValues(reason, tenant).inc(count);
        }
    }

    public void exemplars(String reason, String tenant, long count) {
        if (count > 0) {
            exemplars.labelValues(reason, tenant).inc(count);
        }
    }

    public void metadata(String reason, String tenant, long count) {
        if (count > 0) {
            metadata.labelValues(reason, tenant).inc(count);
        }
    }
}
