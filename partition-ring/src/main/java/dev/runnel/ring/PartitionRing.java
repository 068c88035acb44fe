package dev.runnel.ring;

import java.util.ArrayList;
import java.util.Collection;
import java.util.Comparator;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.TreeMap;
import java.util.concurrent.ConcurrentHashMap;

/**
 * An immutable snapshot of the partitions of the ingest topic: their states and owners.
 *
 * <p>Writers (distributors) look keys up with {@link #partitionFor(int)} on the hash ring of the
 * ACTIVE partitions, or within a tenant's {@link #shuffleShard(String, int) shuffle shard}.
 * Readers (queriers) query the {@link #readablePartitions() ACTIVE and INACTIVE} partitions,
 * each through one of its owners.
 *
 * <p>Snapshots are cheap to make: the hash ring is built on first lookup (all threads build the
 * same one, so a race only wastes work), and shuffle shards are memoized per snapshot.
 */
public final class PartitionRing {
    private static final PartitionRing EMPTY = new PartitionRing(Map.of());

    private final Map<Integer, Partition> partitions;
    private final Map<ShardKey, ShuffleShard> shards = new ConcurrentHashMap<>();
    private volatile TokenRing writeRing;

    private PartitionRing(Map<Integer, Partition> partitions) {
        this.partitions = partitions;
    }

    public static PartitionRing empty() {
        return EMPTY;
    }

    /** A ring of these partitions; their ids must be distinct. */
    public static PartitionRing of(Collection<Partition> partitions) {
        TreeMap<Integer, Partition> byId = new TreeMap<>();
        for (Partition p : partitions) {
            if (byId.put(p.id(), p) != null) {
                throw new IllegalArgumentException("partition " + p.id() + " appears twice");
            }
        }
        return new PartitionRing(java.util.Collections.unmodifiableMap(byId));
    }

    /** Every partition, by id. */
    public List<Partition> partitions() {
        return List.copyOf(partitions.values());
    }

    public Optional<Partition> partition(int id) {
        return Optional.ofNullable(partitions.get(id));
    }

    /** The partitions distributors write to, by id. */
    public List<Partition> activePartitions() {
        return partitions.values().stream().filter(p -> p.state().isWritable()).toList();
    }

    /** The partitions queriers read (ACTIVE and INACTIVE), by id; query each through one owner. */
    public List<Partition> readablePartitions() {
        return partitions.values().stream().filter(p -> p.state().isReadable()).toList();
    }

    /** How many partitions are in {@code state}. */
    public int count(PartitionState state) {
        return (int) partitions.values().stream().filter(p -> p.state() == state).count();
    }

    /**
     * The ACTIVE partition a key with this hash is written to.
     *
     * @throws IllegalStateException if no partition is ACTIVE
     */
    public int partitionFor(int hash) {
        TokenRing ring = writeRing();
        if (ring.isEmpty()) {
            throw new IllegalStateException("no ACTIVE partition in the ring: nothing can be written yet");
        }
        return ring.partitionFor(hash);
    }

    /**
     * The tenant's shuffle shard: {@code size} of the ACTIVE partitions, chosen by rendezvous
     * hashing (each partition scores {@code hash(tenant, partition)}, the highest scores win).
     * Adding or removing a partition changes a tenant's shard by at most that one partition, and
     * only if it scores among the tenant's top {@code size}. A size of 0, or at least the
     * number of ACTIVE partitions, gives all of them.
     */
    public ShuffleShard shuffleShard(String tenant, int size) {
        if (size < 0) {
            throw new IllegalArgumentException("shuffle shard size must not be negative: " + size);
        }
        return shards.computeIfAbsent(new ShardKey(tenant, size), this::selectShard);
    }

    private ShuffleShard selectShard(ShardKey key) {
        List<Partition> active = activePartitions();
        if (key.size() == 0 || key.size() >= active.size()) {
            return new ShuffleShard(key.tenant(), this, active);
        }
        long seed = Hashing.of(key.tenant());
        List<Partition> ranked = new ArrayList<>(active);
        ranked.sort(Comparator.comparingLong((Partition p) -> Hashing.mix(seed ^ Hashing.mix(p.id())))
                .reversed().thenComparingInt(Partition::id));
        List<Partition> chosen = new ArrayList<>(ranked.subList(0, key.size()));
        chosen.sort(Comparator.comparingInt(Partition::id));
        return new ShuffleShard(key.tenant(), this, chosen);
    }

    /** Each ACTIVE partition's exact share of the hash space, for tests and diagnostics. */
    Map<Integer, Double> shares() {
        return writeRing().shares();
    }

    private TokenRing writeRing() {
        TokenRing ring = writeRing;
        if (ring == null) {
            ring = TokenRing.of(activePartitions().stream().map(Partition::id).toList());
            writeRing = ring;
        }
        return ring;
    }

    /** This ring with {@code partition} added or replacing the one with its id. */
    PartitionRing with(Partition partition) {
        TreeMap<Integer, Partition> next = new TreeMap<>(partitions);
        next.put(partition.id(), partition);
        return new PartitionRing(java.util.Collections.unmodifiableMap(next));
    }

    /** This ring without the partition. */
    PartitionRing without(int partitionId) {
        TreeMap<Integer, Partition> next = new TreeMap<>(partitions);
        next.remove(partitionId);
        return new PartitionRing(java.util.Collections.unmodifiableMap(next));
    }

    @Override
    public boolean equals(Object o) {
        return o instanceof PartitionRing other && partitions.equals(other.partitions);
    }

    @Override
    public int hashCode() {
        return partitions.hashCode();
    }

    @Override
    public String toString() {
        return "PartitionRing" + partitions.values();
    }

    private record ShardKey(String tenant, int size) {
    }
}
