package dev.runnel.ingester.consume;

import static org.assertj.core.api.Assertions.assertThat;

import io.prometheus.metrics.model.registry.PrometheusRegistry;
import io.prometheus.metrics.model.snapshots.CounterSnapshot;
import org.apache.kafka.common.utils.Time;
import org.junit.jupiter.api.Test;

class SkippedRecordsTest {

    private final PrometheusRegistry registry = new PrometheusRegistry();
    private final SkippedRecords skipped = new SkippedRecords(ConsumerMetrics.register(registry).partition(3, new Progress(Time.SYSTEM)));

    @Test
    void logsTheFirstOfEachReasonThenEveryThousandthAndCountsAll() {
        int logged = 0;
        for (int i = 0; i < 2500; i++) {
            logged += skipped.skip("malformed", "ingest-3@" + i, "bad", null) ? 1 : 0;
        }
        assertThat(logged).isEqualTo(3); // 1st, 1001st, 2001st
        assertThat(skipped.skip("unknown_version", "ingest-3@9", "version 7", null)).isTrue();

        CounterSnapshot counter = (CounterSnapshot) registry.scrape().stream()
                .filter(s -> s.getMetadata().getName().equals("runnel_ingester_records_skipped")).findFirst().orElseThrow();
        assertThat(counter.getDataPoints()).anySatisfy(d -> {
            assertThat(d.getLabels().get("reason")).isEqualTo("malformed");
            assertThat(d.getLabels().get("partition")).isEqualTo("3");
            assertThat(d.getValue()).isEqualTo(2500);
        });
    }
}
