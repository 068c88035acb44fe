package dev.runnel.ring;

import java.util.ArrayList;
import java.util.List;

/** Rings for tests. */
final class Rings {
    static final long T0 = 1_700_000_000_000L;

    private Rings() {
    }

    static Partition partition(int id, PartitionState state) {
        return new Partition(id, state, T0, List.of());
    }

    /** Partitions 0..n-1, all ACTIVE. */
    static PartitionRing active(int n) {
        List<Partition> partitions = new ArrayList<>();
        for (int i = 0; i < n; i++) {
            partitions.add(partition(i, PartitionState.ACTIVE));
        }
        return PartitionRing.of(partitions);
    }
}
