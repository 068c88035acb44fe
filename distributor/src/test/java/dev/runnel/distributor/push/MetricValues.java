package dev.runnel.distributor.push;

import io.prometheus.metrics.model.registry.PrometheusRegistry;
import io.prometheus.metrics.model.snapshots.CounterSnapshot;
import io.prometheus.metrics.model.snapshots.DataPointSnapshot;
import io.prometheus.metrics.model.snapshots.GaugeSnapshot;
import io.prometheus.metrics.model.snapshots.Labels;
import io.prometheus.metrics.model.snapshots.MetricSnapshot;

/** Reads one series of a test's own registry; 0 when it does not exist. */
public final class MetricValues {

    private MetricValues() {
    }

    /** {@code name} without {@code _total}, and its labels as name/value pairs. */
    public static double value(PrometheusRegistry registry, String name, String... labels) {
        Labels wanted = Labels.of(labels);
        for (MetricSnapshot snapshot : registry.scrape()) {
            if (!snapshot.getMetadata().getName().equals(name)) {
                continue;
            }
            for (DataPointSnapshot point : snapshot.getDataPoints()) {
                if (point.getLabels().equals(wanted)) {
                    return point instanceof CounterSnapshot.CounterDataPointSnapshot c ? c.getValue()
                            : ((GaugeSnapshot.GaugeDataPointSnapshot) point).getValue();
                }
            }
        }
        return 0;
    }

    public static double discardedSamples(PrometheusRegistry registry, String reason, String tenant) {
        return value(registry, "runnel_distributor_discarded_samples", "reason", reason, "user", tenant);
    }
}
