package dev.runnel.querier.fanout;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.runnel.querier.api.MetricMetadata;
import dev.runnel.ring.OwnerState;
import dev.runnel.ring.Partition;
import dev.runnel.ring.PartitionOwner;
import dev.runnel.ring.PartitionRing;
import dev.runnel.ring.PartitionState;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

class FanoutMetadataTest {

    private static final MetricMetadata UP = new MetricMetadata("up", "gauge", "Up.", "");
    private static final MetricMetadata REQUESTS = new MetricMetadata("requests", "counter", "Requests.", "");

    private final PartitionRing ring = PartitionRing.of(List.of(
            new Partition(0, PartitionState.ACTIVE, 1, List.of(owner("a", 0), owner("b", 0))),
            new Partition(1, PartitionState.ACTIVE, 1, List.of(owner("a", 1), owner("b", 1)))));

    @Test
    void joinsThePartitionsAnswersWithoutDuplicatesSortedByMetric() {
        Map<String, List<MetricMetadata>> answers = Map.of("a0:9095", List.of(UP), "a1:9095", List.of(REQUESTS, UP));
        FanoutMetadata metadata = new FanoutMetadata(() -> ring, "a", (address, tenant, partition, metric) -> {
            List<MetricMetadata> answer = answers.get(address);
            if (answer == null) {
                throw new IllegalStateException("zone b is not asked while zone a answers");
            }
            return answer;
        }, Runnable::run);

        assertThat(metadata.metadata("t", "")).containsExactly(REQUESTS, UP);
    }

    @Test
    void turnsToTheOtherZoneAndFailsWhenNoOwnerAnswers() {
        FanoutMetadata fallback = new FanoutMetadata(() -> ring, "a", (address, tenant, partition, metric) -> {
            if (address.startsWith("a")) {
                throw new IllegalStateException("down");
            }
            return List.of(UP);
        }, Runnable::run);
        assertThat(fallback.metadata("t", "up")).containsExactly(UP);

        FanoutMetadata down = new FanoutMetadata(() -> ring, "a", (address, tenant, partition, metric) -> {
            throw new IllegalStateException("down");
        }, Runnable::run);
        assertThatThrownBy(() -> down.metadata("t", ""))
                .isInstanceOf(PartitionUnavailableException.class)
                .hasMessageContaining("partition 0: no owner answered")
                .hasMessageContaining("ingester-zone-b-0 at b0:9095: java.lang.IllegalStateException: down");
    }

    private static PartitionOwner owner(String zone, int partition) {
        return new PartitionOwner("ingester-zone-" + zone + "-" + partition, zone, OwnerState.ACTIVE, 1, zone + partition + ":9095");
    }
}
