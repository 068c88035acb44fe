package dev.runnel.loadgen.verify;

import java.util.Arrays;

/**
 * A set of positions of one sample sequence as sorted, disjoint, half-open ranges. A shard acknowledges its requests
 * in sequence order, so ranges are only ever appended, and consecutive requests merge into one: a run without
 * failures is one range however long it is.
 */
final class PositionRanges {
    private long[] from = new long[4];
    private long[] to = new long[4];
    private int size;

    /** Adds {@code [start, end)}, which must not begin before the ranges added so far end. */
    void add(long start, long end) {
        if (end <= start) {
            return;
        }
        if (size > 0 && start < to[size - 1]) {
            throw new IllegalStateException("positions must be added in order: [" + start + ", " + end
                    + ") begins before " + to[size - 1]);
        }
        if (size > 0 && start == to[size - 1]) {
            to[size - 1] = end;
            return;
        }
        if (size == from.length) {
            from = Arrays.copyOf(from, size * 2);
            to = Arrays.copyOf(to, size * 2);
        }
        from[size] = start;
        to[size] = end;
        size++;
    }

    boolean contains(long position) {
        int i = Arrays.binarySearch(from, 0, size, position);
        int range = i >= 0 ? i : -i - 2;
        return range >= 0 && position < to[range];
    }

    int ranges() {
        return size;
    }

    long from(int range) {
        return from[range];
    }

    long to(int range) {
        return to[range];
    }

    /** Positions in all ranges. */
    long count() {
        long n = 0;
        for (int i = 0; i < size; i++) {
            n += to[i] - from[i];
        }
        return n;
    }
}
