package dev.runnel.ingester.head;

import io.prometheus.metrics.core.metrics.CounterWithCallback;
import io.prometheus.metrics.core.metrics.GaugeWithCallback;
import io.prometheus.metrics.model.registry.PrometheusRegistry;
import java.util.HashMap;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.CopyOnWriteArraySet;
import java.util.function.ToLongFunction;

/**
 * The heads' sizes and counters as Prometheus metrics, read from the heads at scrape time, so
 * appending costs nothing extra. Label {@code user} is the tenant, as in Mimir. One process may
 * run several ingesters (one per partition, {@code -target=all}), each with its own {@link Heads}:
 * registered once per registry, the metrics sum a tenant's heads over every ingester added.
 */
public final class HeadMetrics {

    private final Set<Heads> ingesters = new CopyOnWriteArraySet<>();

    private HeadMetrics() {
    }

    public static HeadMetrics register(PrometheusRegistry registry) {
        HeadMetrics metrics = new HeadMetrics();
        metrics.gauge(registry, "runnel_ingester_head_series", "Series in the tenant's in-memory head.", TenantHead::seriesCount);
        metrics.gauge(registry, "runnel_ingester_head_chunks", "Chunks in the tenant's in-memory head.", TenantHead::chunkCount);
        metrics.gauge(registry, "runnel_ingester_head_chunk_bytes", "Bytes of encoded samples in the tenant's head chunks.",
                TenantHead::chunkBytes);
        CounterWithCallback.builder()
                .name("runnel_ingester_head_samples_appended_total")
                .help("Samples appended to the tenant's head.")
                .labelNames("user")
                .callback(cb -> metrics.perTenant(TenantHead::samplesAppended).forEach((tenant, n) -> cb.call(n, tenant)))
                .register(registry);
        CounterWithCallback.builder()
                .name("runnel_ingester_head_samples_discarded_total")
                .help("Samples the tenant's head did not keep, by reason.")
                .labelNames("user", "reason")
                .callback(cb -> {
                    for (DiscardReason r : DiscardReason.values()) {
                        metrics.perTenant(h -> h.discarded(r)).forEach((tenant, n) -> cb.call(n, tenant, r.label()));
                    }
                })
                .register(registry);
        return metrics;
    }

    /** Includes {@code heads} in the metrics from now on. */
    public void add(Heads heads) {
        ingesters.add(heads);
    }

    /** Leaves {@code heads} out of the metrics from now on (its ingester stopped). */
    public void remove(Heads heads) {
        ingesters.remove(heads);
    }

    private void gauge(PrometheusRegistry registry, String name, String help, ToLongFunction<TenantHead> value) {
        GaugeWithCallback.builder().name(name).help(help).labelNames("user")
                .callback(cb -> perTenant(value).forEach((tenant, n) -> cb.call(n, tenant)))
                .register(registry);
    }

    private Map<String, Long> perTenant(ToLongFunction<TenantHead> value) {
        Map<String, Long> sums = new HashMap<>();
        for (Heads heads : ingesters) {
            for (TenantHead head : heads.all()) {
                sums.merge(head.tenant(), value.applyAsLong(head), Long::sum);
            }
        }
        return sums;
    }
}
