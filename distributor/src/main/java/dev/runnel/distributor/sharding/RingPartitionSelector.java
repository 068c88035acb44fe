package dev.runnel.distributor.sharding;

import dev.runnel.ring.PartitionRing;
import dev.runnel.ring.PartitionState;
import java.util.Optional;
import java.util.function.Supplier;
import java.util.function.ToIntFunction;

/**
 * Places series on the ACTIVE partitions of the partition ring: over the whole ring, or over
 * the tenant's shuffle shard when the tenant has a shard size (the ring snapshot keeps the
 * shards it has computed).
 */
public final class RingPartitionSelector implements PartitionSelector {

    private final Supplier<PartitionRing> rings;
    private final ToIntFunction<String> shardSizes;

    /**
     * @param rings      the latest ring snapshot, e.g. {@code PartitionRingWatcher::ring}
     * @param shardSizes the tenant's shard size in partitions; 0 for all partitions
     */
    public RingPartitionSelector(Supplier<PartitionRing> rings, ToIntFunction<String> shardSizes) {
        this.rings = rings;
        this.shardSizes = shardSizes;
    }

    @Override
    public int partitionFor(String tenant, int seriesHash) {
        PartitionRing ring = rings.get();
        int size = shardSizes.applyAsInt(tenant);
        try {
            return size <= 0 ? ring.partitionFor(seriesHash) : ring.shuffleShard(tenant, size).partitionFor(seriesHash);
        } catch (IllegalStateException e) { // the ring has no ACTIVE partition
            throw new NoWritablePartitionException(e.getMessage());
        }
    }

    /** A readiness check ({@code Readiness#add}): not ready while the ring has no ACTIVE partition to write to. */
    public Supplier<Optional<String>> readinessCheck() {
        return () -> rings.get().count(PartitionState.ACTIVE) > 0 ? Optional.empty()
                : Optional.of("the partition ring has no ACTIVE partition to write to: no ingester has registered yet");
    }

    @Override
    public String toString() {
        return "RingPartitionSelector";
    }
}
