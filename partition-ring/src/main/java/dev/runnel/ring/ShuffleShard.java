package dev.runnel.ring;

import java.util.BitSet;
import java.util.List;

/**
 * A tenant's subset of the ACTIVE partitions, and where its keys go within it.
 *
 * <p>A key is looked up on the whole ring first; if that partition is in the shard the key
 * stays there, otherwise it goes to the shard member with the highest {@code hash(key, member)}
 * (rendezvous hashing). Why not a sub-ring of the members' tokens, as Mimir does: the tokens
 * are {@linkplain PartitionTokens placed}, newer partitions cutting the front of older ones'
 * arcs, so on a sub-ring the arcs of left-out partitions flow to the older members, which
 * would take up to 20% more than their share in every shard they are part of. This way each
 * member takes exactly its share of the whole ring plus an even part of the rest, whichever
 * members the shard has, and a change of one member moves only the keys it had or gets.
 */
public final class ShuffleShard {
    private final String tenant;
    private final PartitionRing ring;
    private final List<Partition> partitions;
    private final BitSet members = new BitSet();
    private final int[] memberIds;
    private final long[] memberSeeds;

    ShuffleShard(String tenant, PartitionRing ring, List<Partition> partitions) {
        this.tenant = tenant;
        this.ring = ring;
        this.partitions = List.copyOf(partitions);
        this.memberIds = new int[partitions.size()];
        this.memberSeeds = new long[partitions.size()];
        for (int i = 0; i < memberIds.length; i++) {
            memberIds[i] = partitions.get(i).id();
            // A different seed than the shard choice uses, so the two are not correlated.
            memberSeeds[i] = Hashing.mix(~(long) memberIds[i]);
            members.set(memberIds[i]);
        }
    }

    public String tenant() {
        return tenant;
    }

    /** The shard's partitions, all ACTIVE, by id. */
    public List<Partition> partitions() {
        return partitions;
    }

    public boolean contains(int partitionId) {
        return members.get(partitionId);
    }

    /**
     * The shard's partition a key with this hash is written to.
     *
     * @throws IllegalStateException if no partition is ACTIVE
     */
    public int partitionFor(int hash) {
        int onRing = ring.partitionFor(hash);
        if (members.get(onRing)) {
            return onRing;
        }
        long key = Hashing.mix(hash);
        int best = 0;
        long bestScore = Hashing.mix(key ^ memberSeeds[0]);
        for (int i = 1; i < memberSeeds.length; i++) {
            long score = Hashing.mix(key ^ memberSeeds[i]);
            if (score > bestScore) {
                best = i;
                bestScore = score;
            }
        }
        return memberIds[best];
    }

    @Override
    public String toString() {
        return "ShuffleShard[" + tenant + ": " + partitions.stream().map(Partition::id).toList() + "]";
    }
}
