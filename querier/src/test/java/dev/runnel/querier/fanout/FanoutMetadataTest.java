package dev.runnel.querier.fanout;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.runnel.querier.api.MetricMetadata;
import dev.runnel.ring.OwnerState;
import dev.runnel.ring.Partition;
import dev.runnel.ring.PartitionOwner;
import dev.runnel.ring.PartitionRing;
import dev.runnel.ring.PartitionState;
import dev.runnel.querier.api.ConsistencyLevel;
import java.util.ArrayList;
import java.util.List;
import java.util.OptionalLong;
import java.util.concurrent.ConcurrentHashMap;
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
        FanoutMetadata metadata = new FanoutMetadata(() -> ring, OwnerPreference.zone("a"), (address, tenant, partition, metric, minOffset) -> {
            List<MetricMetadata> answer = answers.get(address);
            if (answer == null) {
                throw new IllegalStateException("zone b is not asked while zone a answers");
            }
            return answer;
        }, EndOffsets.NONE, Runnable::run);

        assertThat(metadata.metadata("t", "", ConsistencyLevel.EVENTUAL)).containsExactly(REQUESTS, UP);
    }

    @Test
    void turnsToTheOtherZoneAndFailsWhenNoOwnerAnswers() {
        FanoutMetadata fallback = new FanoutMetadata(() -> ring, OwnerPreference.zone("a"), (address, tenant, partition, metric, minOffset) -> {
            if (address.startsWith("a")) {
                throw new IllegalStateException("down");
            }
            return List.of(UP);
        }, EndOffsets.NONE, Runnable::run);
        assertThat(fallback.metadata("t", "up", ConsistencyLevel.EVENTUAL)).containsExactly(UP);

        FanoutMetadata down = new FanoutMetadata(() -> ring, OwnerPreference.zone("a"), (address, tenant, partition, metric, minOffset) -> {
            throw new IllegalStateException("down");
        }, EndOffsets.NONE, Runnable::run);
        assertThatThrownBy(() -> down.metadata("t", "", ConsistencyLevel.EVENTUAL))
                .isInstanceOf(PartitionUnavailableException.class)
                .hasMessageContaining("partition 0: no owner answered")
                .hasMessageContaining("ingester-zone-b-0 at b0:9095: java.lang.IllegalStateException: down");
    }

    @Test
    void aStrongReadWaitsForTheLastRecordBeforeTheEndOffsetsAndAnEventualOneForNothing() {
        Map<String, OptionalLong> asked = new ConcurrentHashMap<>();
        List<List<Integer>> lookups = new ArrayList<>();
        EndOffsets ends = partitions -> {
            lookups.add(partitions);
            return Map.of(0, 42L, 1, 0L);
        };
        FanoutMetadata metadata = new FanoutMetadata(() -> ring, OwnerPreference.zone("a"), (address, tenant, partition, metric, minOffset) -> {
            asked.put(address, minOffset);
            return List.of(UP);
        }, ends, Runnable::run);

        assertThat(metadata.metadata("t", "", ConsistencyLevel.STRONG)).containsExactly(UP);
        assertThat(lookups).containsExactly(List.of(0, 1));
        // offset 41 is partition 0's last record; partition 1 is empty, so there is nothing to wait for
        assertThat(asked).containsExactlyInAnyOrderEntriesOf(Map.of("a0:9095", OptionalLong.of(41), "a1:9095", OptionalLong.empty()));

        asked.clear();
        assertThat(metadata.metadata("t", "", ConsistencyLevel.EVENTUAL)).containsExactly(UP);
        assertThat(lookups).hasSize(1);
        assertThat(asked.values()).containsOnly(OptionalLong.empty());
    }

    private static PartitionOwner owner(String zone, int partition) {
        return new PartitionOwner("ingester-zone-" + zone + "-" + partition, zone, OwnerState.ACTIVE, 1, zone + partition + ":9095");
    }
}
