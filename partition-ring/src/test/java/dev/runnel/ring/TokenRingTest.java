package dev.runnel.ring;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.SplittableRandom;
import java.util.stream.IntStream;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

class TokenRingTest {

    /** The bucket table must give exactly what a binary search over the sorted tokens gives. */
    @ParameterizedTest
    @ValueSource(ints = {1, 2, 3, 16, 37, 300})
    void lookUpAgreesWithABinarySearch(int partitions) {
        List<Integer> ids = IntStream.range(0, partitions).boxed().toList();
        TokenRing ring = TokenRing.of(ids);
        long[] packed = packedTokens(ids);
        List<Integer> hashes = new ArrayList<>(List.of(Integer.MIN_VALUE, Integer.MAX_VALUE, 0, -1, 1));
        for (long p : packed) { // at, just before and just after every token
            int token = (int) (p >> 32);
            hashes.addAll(List.of(token, token - 1, token + 1));
        }
        SplittableRandom random = new SplittableRandom(7);
        for (int i = 0; i < 100_000; i++) {
            hashes.add(random.nextInt());
        }
        for (int hash : hashes) {
            assertThat(ring.partitionFor(hash)).as("hash %d", hash).isEqualTo(reference(packed, hash));
        }
    }

    private static long[] packedTokens(List<Integer> ids) {
        return ids.stream().flatMapToLong(id -> Arrays.stream(PartitionTokens.of(id)).mapToLong(t -> ((long) t << 32) | id))
                .sorted().toArray();
    }

    private static int reference(long[] packed, int hash) {
        for (long p : packed) {
            if ((int) (p >> 32) >= hash) {
                return (int) p;
            }
        }
        return (int) packed[0];
    }
}
