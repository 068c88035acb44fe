package dev.runnel.ring;

import java.util.Arrays;
import java.util.Collection;
import java.util.Map;
import java.util.TreeMap;

/**
 * The hash ring of a set of partitions: every partition's {@linkplain PartitionTokens tokens},
 * sorted. A hash belongs to the first token at or after it, wrapping around past the last.
 *
 * <p>Look-ups avoid a binary search: the hash space is cut into at least as many equal buckets
 * as there are tokens, and a table gives each bucket's first token, so a look-up scans the
 * one or two tokens of its bucket (tokens are hashes, spread evenly).
 */
final class TokenRing {
    private static final double SPACE = 0x1p32;

    private final int[] tokens;
    private final int[] partitions;
    /** Per bucket of the hash space (in unsigned order), the index of its first token; one extra entry. */
    private final int[] bucketStart;
    private final int bucketShift;

    private TokenRing(int[] tokens, int[] partitions) {
        this.tokens = tokens;
        this.partitions = partitions;
        int bits = Math.min(20, 32 - Integer.numberOfLeadingZeros(Math.max(1, tokens.length)));
        this.bucketShift = 32 - bits;
        this.bucketStart = new int[(1 << bits) + 1];
        int i = 0;
        for (int b = 0; b < bucketStart.length; b++) {
            while (i < tokens.length && bucket(tokens[i]) < b) {
                i++;
            }
            bucketStart[b] = i;
        }
    }

    /** The bucket of a hash; flipping the sign bit maps signed order onto unsigned order. */
    private int bucket(int hash) {
        return (hash ^ Integer.MIN_VALUE) >>> bucketShift;
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
        int b = bucket(hash);
        int i = bucketStart[b];
        int end = bucketStart[b + 1];
        while (i < end && tokens[i] < hash) {
            i++;
        }
        // At the bucket's end, the next token is the first of a later bucket, or the ring wraps.
        return partitions[i == tokens.length ? 0 : i];
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
