package dev.runnel.distributor.ratelimit;

import static dev.runnel.distributor.push.MetricValues.discardedSamples;
import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import dev.runnel.distributor.limits.Limits;
import dev.runnel.distributor.limits.LimitsYaml;
import dev.runnel.distributor.limits.TenantLimits;
import dev.runnel.distributor.push.DiscardCounters;
import dev.runnel.distributor.push.PushVerdict;
import dev.runnel.distributor.write.WriteBatch;
import dev.runnel.distributor.write.WriteBatchBuilder;
import dev.runnel.proto.prometheus.write.v2.Histogram;
import io.prometheus.metrics.model.registry.PrometheusRegistry;
import java.util.Map;
import org.junit.jupiter.api.Test;

class RateLimitStageTest {

    private final PrometheusRegistry registry = new PrometheusRegistry();
    private final Limits tenPerSecond = LimitsYaml.over(Limits.DEFAULTS,
            JsonNodeFactory.instance.objectNode().put("ingestion_rate", 10).put("ingestion_burst_size", 20));
    private final RateLimitStage stage = new RateLimitStage(
            TenantLimits.fixed(tenPerSecond, Map.of("big", Limits.DEFAULTS)), new DiscardCounters(registry));

    @Test
    void theBurstPassesThenTheRateRefills() {
        assertThat(stage.apply("t", samples(20), 0)).isEqualTo(PushVerdict.ACCEPT);

        PushVerdict refused = stage.apply("t", samples(1), 0);
        assertThat(refused).isEqualTo(PushVerdict.stop(429, "ingestion rate limit (10) exceeded while adding 1 samples: "
                + "tenant \"t\" may write 10 samples/s with bursts of up to 20 (ingestion_rate, ingestion_burst_size)"));
        assertThat(discardedSamples(registry, "rate_limited", "t")).isEqualTo(1);

        assertThat(stage.apply("t", samples(5), 500)).isEqualTo(PushVerdict.ACCEPT);
        assertThat(stage.apply("t", samples(1), 500)).isInstanceOf(PushVerdict.Stop.class);
        assertThat(stage.apply("t", samples(20), 10_000)).as("refilled to the burst, not beyond").isEqualTo(PushVerdict.ACCEPT);
        assertThat(stage.apply("t", samples(1), 10_000)).isInstanceOf(PushVerdict.Stop.class);
    }

    @Test
    void aRequestLargerThanTheBurstNeverPasses() {
        assertThat(stage.apply("t", samples(21), 0)).isInstanceOf(PushVerdict.Stop.class);
        assertThat(stage.apply("t", samples(21), 1_000_000)).isInstanceOf(PushVerdict.Stop.class);
        assertThat(stage.apply("t", samples(20), 1_000_000)).isEqualTo(PushVerdict.ACCEPT);
    }

    @Test
    void tenantsHaveTheirOwnBucketsAndLimits() {
        assertThat(stage.apply("a", samples(20), 0)).isEqualTo(PushVerdict.ACCEPT);
        assertThat(stage.apply("b", samples(20), 0)).isEqualTo(PushVerdict.ACCEPT);
        assertThat(stage.apply("big", samples(5000), 0)).isEqualTo(PushVerdict.ACCEPT);
        assertThat(stage.apply("a", samples(1), 0)).isInstanceOf(PushVerdict.Stop.class);
    }

    @Test
    void onlyWhatValidationLeftCountsAndHistogramsCount() {
        WriteBatchBuilder builder = WriteBatch.builder();
        for (int s = 0; s < 30; s++) {
            builder.startSeries().label("__name__", "m" + s).sample(1, 1).endSeries();
        }
        WriteBatch batch = builder.startSeries().label("__name__", "h").histogram(Histogram.getDefaultInstance()).endSeries().build();
        for (int s = 0; s < 10; s++) {
            batch.dropSeries(s);
        }
        batch.dropSample(batch.sampleStart(10));

        assertThat(batch.keptSamples()).isEqualTo(20);
        assertThat(stage.apply("t", batch, 0)).isEqualTo(PushVerdict.ACCEPT);
        assertThat(stage.apply("t", samples(1), 0)).isInstanceOf(PushVerdict.Stop.class);
    }

    @Test
    void timeRunningBackwardsDoesNotRefill() {
        assertThat(stage.apply("t", samples(20), 10_000)).isEqualTo(PushVerdict.ACCEPT);
        assertThat(stage.apply("t", samples(1), 5_000)).isInstanceOf(PushVerdict.Stop.class);
        assertThat(stage.apply("t", samples(10), 11_000)).isEqualTo(PushVerdict.ACCEPT);
    }

    private static WriteBatch samples(int n) {
        WriteBatchBuilder builder = WriteBatch.builder().startSeries().label("__name__", "up");
        for (int i = 0; i < n; i++) {
            builder.sample(i, i);
        }
        return builder.endSeries().build();
    }
}
