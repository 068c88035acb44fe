package dev.runnel.ring;

import java.util.Arrays;
import java.util.Collection;
import java.util.Map;
import java.util.TreeMap;

/**
 * The hash ring of a set of partitions: every partition's {@linkplain PartitionTokens tokens},
 * sorted. A hash belongs to the first token at or after it, wrapping around past the last.
 */
final class TokenRing {
    private static final double SPACE = 0x1p32;

    private final int[] tokens;
    private final int[] partitions;

    private TokenRing(int[] tokens, int[] partitions) {
        this.tokens = tokens;
        this.partitions = partitions;
    }

    static TokenRing of(Collection<Integer> partitionIds) {
        // Token in the high half, partition in the low half: sorting the longs sorts by token.
        long[] packed = new long[partitionIds.size() * PartitionTokens.TOKENS_PER_PARTITION];
        int n = 0;
        for (int id : partitionIds) {
            for (int token : PartitionTokens.of(id)) {
                packed[n++] = ((long) token << 32) | id;
            }
        }
        Arrays.sort(packed);
        int[] tokens = new int[n];
        int[] partitions = new int[n];
        for (int i = 0; i < n; i++) {
            tokens[i] = (int) (packed[i] >> 32);
            partitions[i] = (int) packed[i];
        }
        return new TokenRing(tokens, partitions);
    }

    boolean isEmpty() {
        return tokens.length == 0;
    }

    /** The partition owning {@code hash}; the ring must not be empty. */
    int partitionFor(int hash) {
        int i = Arrays.binarySearch(tokens, hash);
        if (i < 0) {
            i = -i - 1;
            if (i == tokens.length) {
                i = 0;
            }
        }
        return partitions[i];
    }

    /** Each partition's exact share of the hash space, from the lengths of its arcs. */
    Map<Integer, Double> shares() {
        Map<Integer, Double> shares = new TreeMap<>();
        for (int i = 0; i < tokens.length; i++) {
            long previous = i == 0 ? (long) tokens[tokens.length - 1] - (1L << 32) : tokens[i - 1];
            shares.merge(partitions[i], (tokens[i] - previous) / SPACE, Double::sum);
        }
        return shares;
    }
}
