package dev.runnel.loadgen.verify;

import java.util.Arrays;

/**
 * How many churn events a sample sequence had seen at each position, kept only where the count changes (churn happens
 * between requests, at most a few times a second), so that the series of any sample can be worked out later.
 */
final class ChurnSteps {
    private long[] positions = new long[4];
    private long[] churned = new long[4];
    private int size;

    /** From {@code position} on (positions only grow) the sequence had seen {@code count} churn events. */
    void record(long position, long count) {
        if (count == (size == 0 ? 0 : churned[size - 1])) {
            return;
        }
        if (size > 0 && position < positions[size - 1]) {
            throw new IllegalStateException("positions must be recorded in order: " + position + " after "
                    + positions[size - 1]);
        }
        if (size == positions.length) {
            positions = Arrays.copyOf(positions, size * 2);
            churned = Arrays.copyOf(churned, size * 2);
        }
        positions[size] = position;
        churned[size] = count;
        size++;
    }

    long at(long position) {
        int i = Arrays.binarySearch(positions, 0, size, position);
        int step = i >= 0 ? i : -i - 2;
        return step < 0 ? 0 : churned[step];
    }
}
