package dev.runnel.ring;

import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.PriorityQueue;

/**
 * The tokens each partition holds on the writers' hash ring, a function of the partition id
 * alone, so every process computes the same ring without anything stored.
 *
 * <p>Random tokens (as in Dynamo, or Mimir's partition ring seeding a random generator with the
 * partition id) need thousands per partition before shares are even within a few percent: a
 * share is the sum of T arcs whose lengths vary as much as their mean, so it strays by about
 * 1/&radic;T. Instead the tokens are <em>placed</em>, after the idea of Mimir's spread-minimizing
 * token generator: the ring is replayed as if partitions were added in id order. Partition 0
 * takes {@value #TOKENS_PER_PARTITION} evenly spaced tokens. Partition {@code p} then takes
 * exactly its fair share, 1/(p+1) of the hash space, by placing each of its tokens inside an
 * arc of the partition that currently owns the most, cutting the front of that partition's
 * largest arc. So with partitions 0..N-1 every share is within a fraction of a percent of 1/N,
 * and adding partition N moves only the keys it takes over: 1/(N+1) of them, none between
 * old partitions.
 *
 * <p>Shares stay near even while partitions number up to a few times the token count; beyond
 * that a new partition can no longer take from every old one and the spread grows, hence the
 * {@linkplain #MAX_PARTITIONS limit}. A partition missing from a ring (not ACTIVE) leaves its
 * arcs to the next token clockwise, which spreads its load over many partitions, as with
 * random tokens. The replay is computed once per process and only as far as the highest id
 * asked for.
 *
 * <p>Positions are unsigned 32-bit values during the replay; tokens are handed out as signed
 * ints in the same order (the sign bit flipped), so a key's {@code int} hash is looked up as is.
 */
final class PartitionTokens {
    static final int TOKENS_PER_PARTITION = 256;
    /** Partition ids run from 0 to this limit, exclusive. */
    static final int MAX_PARTITIONS = 2048;

    private static final long SPACE = 1L << 32;
    private static final Replay REPLAY = new Replay();

    private PartitionTokens() {
    }

    /** The partition's tokens, ascending (a fresh array the caller may keep). */
    static int[] of(int partitionId) {
        if (partitionId < 0 || partitionId >= MAX_PARTITIONS) {
            throw new IllegalArgumentException(
                    "partition id must be in [0, " + MAX_PARTITIONS + "): " + partitionId);
        }
        return REPLAY.tokensOf(partitionId).clone();
    }

    /** The ring replayed from partition 0 upwards; grows on demand and keeps what it computed. */
    private static final class Replay {
        private static final Comparator<Arc> LARGEST_FIRST =
                Comparator.comparingLong(Arc::length).reversed().thenComparingLong(Arc::end);

        private final List<int[]> tokens = new ArrayList<>();
        private final List<PriorityQueue<Arc>> arcs = new ArrayList<>();
        private final List<Long> owned = new ArrayList<>();
        // Ties broken by id so that every process replays the same way.
        private final PriorityQueue<Integer> richestFirst = new PriorityQueue<>(
                Comparator.comparingLong((Integer p) -> owned.get(p)).reversed().thenComparingInt(p -> p));

        synchronized int[] tokensOf(int partitionId) {
            while (tokens.size() <= partitionId) {
                tokens.add(tokens.isEmpty() ? first() : next(tokens.size()));
            }
            return tokens.get(partitionId);
        }

        private int[] first() {
            PriorityQueue<Arc> mine = new PriorityQueue<>(LARGEST_FIRST);
            long[] positions = new long[TOKENS_PER_PARTITION];
            long arc = SPACE / TOKENS_PER_PARTITION;
            for (int i = 0; i < positions.length; i++) {
                // The last token sits at the top of the space, so no arc ever wraps around.
                positions[i] = (i + 1) * arc - 1;
                mine.add(new Arc(positions[i], arc));
            }
            join(mine, SPACE);
            return toTokens(positions);
        }

        private int[] next(int partitionId) {
            PriorityQueue<Arc> mine = new PriorityQueue<>(LARGEST_FIRST);
            long[] positions = new long[TOKENS_PER_PARTITION];
            long needed = SPACE / (partitionId + 1);
            long taken = 0;
            for (int i = 0; i < positions.length; i++) {
                long wanted = Math.max(1, (needed - taken) / (positions.length - i));
                int donor = richestFirst.poll();
                Arc arc = arcs.get(donor).poll();
                long cut = Math.min(wanted, arc.length() - 1);
                if (cut < 1) {
                    throw new IllegalStateException("no room left on the ring for partition " + partitionId);
                }
                // The arc covers (end - length, end]; the new token ends its first `cut` positions.
                positions[i] = arc.end() - arc.length() + cut;
                mine.add(new Arc(positions[i], cut));
                arcs.get(donor).add(new Arc(arc.end(), arc.length() - cut));
                owned.set(donor, owned.get(donor) - cut);
                richestFirst.add(donor);
                taken += cut;
            }
            join(mine, taken);
            return toTokens(positions);
        }

        private void join(PriorityQueue<Arc> partitionArcs, long share) {
            arcs.add(partitionArcs);
            owned.add(share);
            richestFirst.add(owned.size() - 1);
        }

        private static int[] toTokens(long[] positions) {
            int[] result = new int[positions.length];
            for (int i = 0; i < positions.length; i++) {
                result[i] = (int) positions[i] ^ Integer.MIN_VALUE;
            }
            java.util.Arrays.sort(result);
            return result;
        }
    }

    /** The positions (end - length, end] of the ring, owned by the token at {@code end}. */
    private record Arc(long end, long length) {
    }
}
