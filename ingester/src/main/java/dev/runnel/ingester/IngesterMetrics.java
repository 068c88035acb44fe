package dev.runnel.ingester;

import dev.runnel.ingester.consume.ConsumerMetrics;
import dev.runnel.ingester.head.HeadMetrics;
import io.prometheus.metrics.model.registry.PrometheusRegistry;

/** The metrics every ingester of a process reports into: registered once, shared by the ingesters of all partitions. */
public record IngesterMetrics(ConsumerMetrics consumers, HeadMetrics heads) {

    public static IngesterMetrics register(PrometheusRegistry registry) {
        return new IngesterMetrics(ConsumerMetrics.register(registry), HeadMetrics.register(registry));
    }
}
