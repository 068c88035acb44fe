package dev.runnel.ingester.head;

import static org.assertj.core.api.Assertions.assertThat;

import dev.runnel.ingester.labels.Labels;
import io.prometheus.metrics.model.registry.PrometheusRegistry;
import io.prometheus.metrics.model.snapshots.CounterSnapshot;
import io.prometheus.metrics.model.snapshots.GaugeSnapshot;
import io.prometheus.metrics.model.snapshots.MetricSnapshots;
import org.junit.jupiter.api.Test;

class HeadMetricsTest {

    @Test
    void exposesPerTenantSizesAndCountersSummedOverIngesters() {
        Heads heads = new Heads(HeadConfig.DEFAULT);
        heads.forTenant("a").append(Labels.of("__name__", "up"), 2000, 1);
        heads.forTenant("a").append(Labels.of("__name__", "up"), 1000, 1);
        heads.forTenant("b").append(Labels.of("__name__", "up"), 1000, 1);
        heads.forTenant("b").append(Labels.of("__name__", "down"), 1000, 1);
        Heads otherIngester = new Heads(HeadConfig.DEFAULT);
        otherIngester.forTenant("b").append(Labels.of("__name__", "other"), 1000, 1);
        PrometheusRegistry registry = new PrometheusRegistry();
        HeadMetrics metrics = HeadMetrics.register(registry);
        metrics.add(heads);
        metrics.add(otherIngester);
        MetricSnapshots snapshots = registry.scrape();

        GaugeSnapshot series = (GaugeSnapshot) get(snapshots, "runnel_ingester_head_series");
        assertThat(series.getDataPoints()).anySatisfy(d -> {
            assertThat(d.getLabels().get("user")).isEqualTo("b");
            assertThat(d.getValue()).isEqualTo(3); // summed over both ingesters' heads
        });
        CounterSnapshot discarded = (CounterSnapshot) get(snapshots, "runnel_ingester_head_samples_discarded");
        assertThat(discarded.getDataPoints()).anySatisfy(d -> {
            assertThat(d.getLabels().get("user")).isEqualTo("a");
            assertThat(d.getLabels().get("reason")).isEqualTo("out_of_order");
            assertThat(d.getValue()).isEqualTo(1);
        });
        CounterSnapshot appended = (CounterSnapshot) get(snapshots, "runnel_ingester_head_samples_appended");
        assertThat(appended.getDataPoints()).hasSize(2).allSatisfy(d -> assertThat(d.getValue()).isEqualTo(d.getLabels().get("user").equals("a") ? 1 : 3));

        metrics.remove(otherIngester);
        GaugeSnapshot afterRemove = (GaugeSnapshot) get(registry.scrape(), "runnel_ingester_head_series");
        assertThat(afterRemove.getDataPoints()).anySatisfy(d -> {
            assertThat(d.getLabels().get("user")).isEqualTo("b");
            assertThat(d.getValue()).isEqualTo(2);
        });
    }

    private static Object get(MetricSnapshots snapshots, String name) {
        return snapshots.stream().filter(s -> s.getMetadata().getName().equals(name)).findFirst().orElseThrow();
    }
}
