package dev.runnel.ring;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.util.List;
import java.util.Map;
import java.util.SplittableRandom;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;
import org.junit.jupiter.api.Test;

class PartitionRingLookupTest {

    @ParameterizedTest
    @ValueSource(ints = {1, 2, 10, 37, 64, 100})
    void everyActivePartitionOwnsItsShareOfTheHashSpace(int n) {
        Map<Integer, Double> shares = Rings.active(n).shares();

        assertThat(shares).hasSize(n);
        for (double share : shares.values()) {
            assertThat(share * n).as("share relative to 1/%d", n).isBetween(0.99, 1.01);
        }
    }

    @ParameterizedTest
    @ValueSource(ints = {10, 37, 100})
    void randomKeysSpreadEvenly(int n) {
        PartitionRing ring = Rings.active(n);
        int keys = 1_000_000;
        int[] counts = new int[n];
        SplittableRandom random = new SplittableRandom(42);
        for (int i = 0; i < keys; i++) {
            counts[ring.partitionFor(random.nextInt())]++;
        }
        double mean = (double) keys / n;
        for (int count : counts) {
            // Sampling alone strays by 1/sqrt(10k) = 1% at 100 partitions; 5% is five of those.
            assertThat(count / mean).isBetween(0.95, 1.05);
        }
    }

    @Test
    void addingAPartitionMovesOnlyTheKeysItTakesOver() {
        int n = 20;
        PartitionRing before = Rings.active(n);
        PartitionRing after = Rings.active(n + 1);
        int keys = 100_000;
        int moved = 0;
        SplittableRandom random = new SplittableRandom(7);
        for (int i = 0; i < keys; i++) {
            int hash = random.nextInt();
            int from = before.partitionFor(hash);
            int to = after.partitionFor(hash);
            if (from != to) {
                assertThat(to).as("a moved key goes to the new partition").isEqualTo(n);
                moved++;
            }
        }
        assertThat((double) moved / keys).isCloseTo(1.0 / (n + 1), org.assertj.core.data.Offset.offset(0.005));
    }

    @Test
    void onlyActivePartitionsAreWritten() {
        PartitionRing ring = PartitionRing.of(List.of(
                Rings.partition(0, PartitionState.INACTIVE),
                Rings.partition(1, PartitionState.ACTIVE),
                Rings.partition(2, PartitionState.PENDING),
                Rings.partition(3, PartitionState.ACTIVE)));
        SplittableRandom random = new SplittableRandom(1);
        for (int i = 0; i < 10_000; i++) {
            assertThat(ring.partitionFor(random.nextInt())).isIn(1, 3);
        }
        assertThat(ring.partitionFor(Integer.MIN_VALUE)).isIn(1, 3);
        assertThat(ring.partitionFor(Integer.MAX_VALUE)).isIn(1, 3);
        assertThat(ring.readablePartitions()).extracting(Partition::id).containsExactly(0, 1, 3);
        assertThat(ring.activePartitions()).extracting(Partition::id).containsExactly(1, 3);
    }

    @Test
    void tokensAreAFunctionOfThePartitionIdAlone() {
        PartitionRing oneToFive = PartitionRing.of(List.of(
                Rings.partition(1, PartitionState.ACTIVE), Rings.partition(5, PartitionState.ACTIVE)));
        PartitionRing withOthersInactive = PartitionRing.of(List.of(
                Rings.partition(1, PartitionState.ACTIVE), Rings.partition(3, PartitionState.INACTIVE),
                Rings.partition(5, PartitionState.ACTIVE)));
        SplittableRandom random = new SplittableRandom(3);
        for (int i = 0; i < 10_000; i++) {
            int hash = random.nextInt();
            assertThat(withOthersInactive.partitionFor(hash)).isEqualTo(oneToFive.partitionFor(hash));
        }
        int[] tokens = PartitionTokens.of(5);
        assertThat(tokens).hasSize(PartitionTokens.TOKENS_PER_PARTITION).isSorted().doesNotHaveDuplicates();
        assertThat(PartitionTokens.of(5)).isEqualTo(tokens);
    }

    @Test
    void aRingWithoutActivePartitionsCannotBeWritten() {
        PartitionRing ring = PartitionRing.of(List.of(Rings.partition(0, PartitionState.PENDING)));
        assertThatThrownBy(() -> ring.partitionFor(0))
                .isInstanceOf(IllegalStateException.class)
                .hasMessageContaining("no ACTIVE partition");
    }

    @Test
    void partitionIdsOutsideTheSupportedRangeAreRejected() {
        assertThatThrownBy(() -> Rings.partition(PartitionTokens.MAX_PARTITIONS, PartitionState.ACTIVE))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("partition id must be in [0, 2048)");
        assertThatThrownBy(() -> PartitionRing.of(List.of(
                        Rings.partition(1, PartitionState.ACTIVE), Rings.partition(1, PartitionState.PENDING))))
                .hasMessageContaining("partition 1 appears twice");
    }
}
