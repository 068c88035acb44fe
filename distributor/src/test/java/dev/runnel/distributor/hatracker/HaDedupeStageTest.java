package dev.runnel.distributor.hatracker;

import static dev.runnel.distributor.push.MetricValues.discardedSamples;
import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import dev.runnel.distributor.limits.Limits;
import dev.runnel.distributor.limits.LimitsYaml;
import dev.runnel.distributor.limits.TenantLimits;
import dev.runnel.distributor.push.DiscardCounters;
import dev.runnel.distributor.push.PushVerdict;
import dev.runnel.distributor.write.WriteBatch;
import io.prometheus.metrics.model.registry.PrometheusRegistry;
import java.util.Map;
import org.junit.jupiter.api.Test;

class HaDedupeStageTest {

    private static final long T0 = 1_700_000_000_000L;

    private final PrometheusRegistry registry = new PrometheusRegistry();
    private final Limits ha = LimitsYaml.over(Limits.DEFAULTS, JsonNodeFactory.instance.objectNode().put("accept_ha_samples", true));
    private final HaDedupeStage stage = new HaDedupeStage(TenantLimits.fixed(Limits.DEFAULTS, Map.of("t", ha)),
            new HaTracker(new TestKvStore(), HaTrackerConfig.DEFAULTS, registry), new DiscardCounters(registry));

    @Test
    void theElectedReplicaIsWrittenWithoutItsReplicaLabel() {
        WriteBatch batch = request("r1");

        assertThat(stage.apply("t", batch, T0)).isEqualTo(PushVerdict.ACCEPT);

        assertThat(batch.describe(0)).isEqualTo("up{cluster=\"c\", job=\"a\"}");
        assertThat(batch.describe(1)).isEqualTo("up{cluster=\"c\", job=\"b\"}");
    }

    @Test
    void anotherReplicaIsAnsweredWith202AndCounted() {
        stage.apply("t", request("r1"), T0);
        WriteBatch batch = request("r2");

        assertThat(stage.apply("t", batch, T0 + 1000))
                .isEqualTo(PushVerdict.stop(202, "replicas did not match, rejecting sample: cluster=c, replica=r2, elected=r1"));
        assertThat(discardedSamples(registry, "ha_dedupe", "t")).isEqualTo(3);
        assertThat(batch.labelValue(0, "__replica__")).isEqualTo("r2");
    }

    @Test
    void tenantsWithoutHaAndRequestsWithoutBothLabelsPassUntouched() {
        WriteBatch other = request("r1");
        assertThat(stage.apply("no-ha", other, T0)).isEqualTo(PushVerdict.ACCEPT);
        assertThat(other.labelValue(0, "__replica__")).isEqualTo("r1");

        WriteBatch noCluster = WriteBatch.builder().startSeries().label("__name__", "up").label("__replica__", "r2")
                .sample(T0, 1).endSeries().build();
        assertThat(stage.apply("t", noCluster, T0)).isEqualTo(PushVerdict.ACCEPT);
        assertThat(noCluster.labelValue(0, "__replica__")).isEqualTo("r2");
        assertThat(stage.apply("t", WriteBatch.builder().build(), T0)).isEqualTo(PushVerdict.ACCEPT);
    }

    private static WriteBatch request(String replica) {
        return WriteBatch.builder()
                .startSeries().label("__name__", "up").label("cluster", "c").label("__replica__", replica).label("job", "a")
                .sample(T0, 1).sample(T0 + 1, 1).endSeries()
                .startSeries().label("__name__", "up").label("cluster", "c").label("__replica__", replica).label("job", "b")
                .sample(T0, 1).endSeries()
                .build();
    }
}
