package dev.runnel.distributor.sharding;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.runnel.ring.Partition;
import dev.runnel.ring.PartitionRing;
import dev.runnel.ring.PartitionState;
import java.util.HashSet;
import java.util.List;
import java.util.Random;
import java.util.Set;
import java.util.concurrent.atomic.AtomicReference;
import java.util.stream.IntStream;
import org.junit.jupiter.api.Test;

class RingPartitionSelectorTest {

    private final AtomicReference<PartitionRing> ring = new AtomicReference<>(ring(8, 6));

    @Test
    void writesOnlyToActivePartitions() {
        RingPartitionSelector selector = new RingPartitionSelector(ring::get, tenant -> 0);
        assertThat(partitionsUsed(selector, "t")).containsExactlyInAnyOrder(0, 1, 2, 3, 4, 5);
    }

    @Test
    void aTenantWithAShardSizeWritesToThatManyPartitionsOnly() {
        RingPartitionSelector selector = new RingPartitionSelector(ring::get, tenant -> tenant.equals("small") ? 2 : 0);
        Set<Integer> small = partitionsUsed(selector, "small");
        assertThat(small).hasSize(2).isSubsetOf(0, 1, 2, 3, 4, 5);
        assertThat(partitionsUsed(selector, "big")).hasSize(6);

        ring.set(ring(8, 8)); // a new snapshot: the shard is recomputed and still has two partitions
        assertThat(partitionsUsed(selector, "small")).hasSize(2);
    }

    @Test
    void noActivePartitionIsARetriableFailure() {
        ring.set(ring(4, 0));
        RingPartitionSelector selector = new RingPartitionSelector(ring::get, tenant -> 0);
        assertThatThrownBy(() -> selector.partitionFor("t", 1)).isInstanceOf(NoWritablePartitionException.class);
    }

    @Test
    void notReadyUntilAPartitionIsActive() {
        ring.set(ring(4, 0));
        RingPartitionSelector selector = new RingPartitionSelector(ring::get, tenant -> 0);
        assertThat(selector.readinessCheck().get()).hasValueSatisfying(reason -> assertThat(reason).contains("no ACTIVE partition"));
        ring.set(ring(4, 1));
        assertThat(selector.readinessCheck().get()).isEmpty();
    }

    private static Set<Integer> partitionsUsed(RingPartitionSelector selector, String tenant) {
        Random random = new Random(1);
        Set<Integer> used = new HashSet<>();
        for (int i = 0; i < 10_000; i++) {
            used.add(selector.partitionFor(tenant, random.nextInt()));
        }
        return used;
    }

    /** Partitions 0..count-1, the first {@code active} of them ACTIVE and the rest PENDING. */
    private static PartitionRing ring(int count, int active) {
        List<Partition> partitions = IntStream.range(0, count).mapToObj(id -> new Partition(id,
                id < active ? PartitionState.ACTIVE : PartitionState.PENDING, 0L, List.of())).toList();
        return PartitionRing.of(partitions);
    }
}
