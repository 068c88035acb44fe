package dev.runnel.distributor.sharding;

import dev.runnel.ring.PartitionRing;
import dev.runnel.ring.ShuffleShard;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.function.Supplier;
import java.util.function.ToIntFunction;

/**
 * Places series on the ACTIVE partitions of the partition ring: over the whole ring, or over
 * the tenant's shuffle shard when the tenant has a shard size. Shards are computed once per
 * ring snapshot and tenant, not per series.
 */
public final class RingPartitionSelector implements PartitionSelector {

    private final Supplier<PartitionRing> rings;
    private final ToIntFunction<String> shardSizes;
    private volatile ShardCache cache = new ShardCache(PartitionRing.empty());

    /** The shuffle shards of one ring snapshot, by tenant. */
    private record ShardCache(PartitionRing ring, Map<String, ShuffleShard> shards) {
        ShardCache(PartitionRing ring) {
            this(ring, new ConcurrentHashMap<>());
        }
    }

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
        if (ring.activePartitions().isEmpty()) {
            throw new NoWritablePartitionException("the partition ring has no ACTIVE partition to write to");
        }
        int size = shardSizes.applyAsInt(tenant);
        if (size <= 0) {
            return ring.partitionFor(seriesHash);
        }
        ShardCache current = cache;
        if (current.ring() != ring) {
            current = new ShardCache(ring);
            cache = current;
        }
        ShuffleShard shard = current.shards().get(tenant);
        if (shard == null || shard.partitions().size() != Math.min(size, ring.activePartitions().size())) {
            shard = ring.shuffleShard(tenant, size);
            current.shards().put(tenant, shard);
        }
        return shard.partitionFor(seriesHash);
    }
}
