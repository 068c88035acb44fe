package dev.runnel.ring;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import java.util.SplittableRandom;
import org.junit.jupiter.api.Test;

class ShuffleShardTest {

    @Test
    void aShardHasTheAskedNumberOfActivePartitions() {
        List<Partition> partitions = new ArrayList<>(Rings.active(30).partitions());
        partitions.add(Rings.partition(30, PartitionState.INACTIVE));
        partitions.add(Rings.partition(31, PartitionState.PENDING));
        PartitionRing ring = PartitionRing.of(partitions);

        for (int tenant = 0; tenant < 200; tenant++) {
            ShuffleShard shard = ring.shuffleShard("tenant-" + tenant, 4);
            assertThat(shard.partitions()).hasSize(4).allMatch(p -> p.state() == PartitionState.ACTIVE);
        }
        assertThat(ring.shuffleShard("t", 0).partitions()).hasSize(30);
        assertThat(ring.shuffleShard("t", 30).partitions()).hasSize(30);
        assertThat(ring.shuffleShard("t", 31).partitions()).hasSize(30);
        assertThatThrownBy(() -> ring.shuffleShard("t", -1))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessage("shuffle shard size must not be negative: -1");
    }

    @Test
    void everyProcessComputesTheSameShard() {
        assertThat(ids(Rings.active(40).shuffleShard("acme", 6)))
                .isEqualTo(ids(Rings.active(40).shuffleShard("acme", 6)))
                .isNotEqualTo(ids(Rings.active(40).shuffleShard("globex", 6)));
    }

    @Test
    void addingAPartitionChangesAShardByAtMostThatPartition() {
        int n = 20;
        int size = 4;
        PartitionRing before = Rings.active(n);
        PartitionRing after = Rings.active(n + 1);
        int tenants = 2_000;
        int changed = 0;
        for (int t = 0; t < tenants; t++) {
            Set<Integer> was = ids(before.shuffleShard("tenant-" + t, size));
            Set<Integer> is = ids(after.shuffleShard("tenant-" + t, size));
            Set<Integer> added = new HashSet<>(is);
            added.removeAll(was);
            assertThat(added).isSubsetOf(Set.of(n));
            if (!added.isEmpty()) {
                changed++;
            }
        }
        // The new partition enters a tenant's top 4 out of 21 with probability 4/21.
        assertThat((double) changed / tenants).isBetween(0.15, 0.23);
    }

    @Test
    void shardsSpreadTenantsOverAllPartitions() {
        int n = 25;
        PartitionRing ring = Rings.active(n);
        int[] tenantsPerPartition = new int[n];
        int tenants = 5_000;
        for (int t = 0; t < tenants; t++) {
            ring.shuffleShard("tenant-" + t, 5).partitions().forEach(p -> tenantsPerPartition[p.id()]++);
        }
        double mean = tenants * 5.0 / n;
        for (int count : tenantsPerPartition) {
            assertThat(count / mean).isBetween(0.85, 1.15);
        }
    }

    @Test
    void keysStayWithinTheShardAndSpreadEvenlyOverIt() {
        PartitionRing ring = Rings.active(50);
        for (String tenant : List.of("acme", "globex", "initech")) {
            ShuffleShard shard = ring.shuffleShard(tenant, 4);
            Set<Integer> members = ids(shard);
            int keys = 400_000;
            java.util.Map<Integer, Integer> counts = new java.util.HashMap<>();
            SplittableRandom random = new SplittableRandom(tenant.hashCode());
            for (int i = 0; i < keys; i++) {
                counts.merge(shard.partitionFor(random.nextInt()), 1, Integer::sum);
            }
            assertThat(counts.keySet()).isEqualTo(members);
            for (int count : counts.values()) {
                assertThat(count / (keys / 4.0)).as("%s %s", tenant, counts).isBetween(0.95, 1.05);
            }
        }
    }

    @Test
    void addingAnUnrelatedPartitionMovesFewOfATenantsKeys() {
        int n = 20;
        ShuffleShard before = Rings.active(n).shuffleShard("acme", 4);
        ShuffleShard after = Rings.active(n + 1).shuffleShard("acme", 4);
        assertThat(ids(after)).as("partition 20 is not among acme's top 4").isEqualTo(ids(before));
        int keys = 100_000;
        int moved = 0;
        SplittableRandom random = new SplittableRandom(11);
        for (int i = 0; i < keys; i++) {
            int hash = random.nextInt();
            if (before.partitionFor(hash) != after.partitionFor(hash)) {
                moved++;
            }
        }
        // The new partition takes 1/21 of the whole ring. Keys it takes from non-members were
        // spread over the shard by their own hash before and still are; only those it takes from
        // the 4 members (4/20 of them) are re-spread, and a quarter land where they were:
        // 1/21 * 4/20 * 3/4 = 0.7%.
        assertThat((double) moved / keys).isBetween(0.004, 0.011);
    }

    private static Set<Integer> ids(ShuffleShard shard) {
        Set<Integer> ids = new HashSet<>();
        shard.partitions().forEach(p -> ids.add(p.id()));
        return ids;
    }
}
