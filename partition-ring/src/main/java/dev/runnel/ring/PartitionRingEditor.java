package dev.runnel.ring;

import dev.runnel.log.metadata.MetadataStoreException;
import java.util.Objects;
import java.util.function.UnaryOperator;
import org.apache.kafka.common.utils.Time;

/**
 * Changes the stored ring by compare-and-set: read the ring, apply a change, write it back if
 * nobody wrote in between, otherwise start over from the newer ring. So concurrent changes by
 * different processes all survive, and a change is checked against the ring it applies to
 * (a state transition that was legal on a stale ring is re-checked on the current one).
 *
 * <p>Conflicts are retried at once: each retry starts from a ring someone else just wrote, so
 * some writer always progresses. After {@value #MAX_ATTEMPTS} lost races in a row the update
 * gives up with a retriable {@link MetadataStoreException}. A change that leaves the ring as it
 * is writes nothing.
 *
 * <p>The operations throw {@link IllegalStateException} when the ring forbids them: a state
 * transition other than PENDING→ACTIVE, ACTIVE→INACTIVE, INACTIVE→ACTIVE, a second owner in one
 * zone, deleting a partition that is not INACTIVE or still has owners.
 */
public final class PartitionRingEditor {
    static final int MAX_ATTEMPTS = 32;

    private final PartitionRingStore store;
    private final Time time;
    private final RingMetrics metrics;

    public PartitionRingEditor(PartitionRingStore store, Time time) {
        this(store, time, RingMetrics.DEFAULT);
    }

    PartitionRingEditor(PartitionRingStore store, Time time, RingMetrics metrics) {
        this.store = Objects.requireNonNull(store, "store");
        this.time = Objects.requireNonNull(time, "time");
        this.metrics = metrics;
    }

    public PartitionRing read() {
        return store.read();
    }

    /**
     * Applies {@code change} to the current ring until the result is stored; the change may run
     * several times, so it must depend on nothing but the ring it is given (and the clock).
     *
     * @return the ring as stored after the change
     */
    public PartitionRing update(UnaryOperator<PartitionRing> change) {
        for (int attempt = 1; attempt <= MAX_ATTEMPTS; attempt++) {
            PartitionRingStore.Snapshot current = store.readVersioned();
            PartitionRing next = change.apply(current.ring());
            if (next.equals(current.ring())) {
                return current.ring();
            }
            if (store.write(next, current.version())) {
                return next;
            }
            metrics.casConflict();
        }
        throw new MetadataStoreException("partition ring under key " + store.key() + " was changed by others "
                + MAX_ATTEMPTS + " times while this process tried to update it; try again", null);
    }

    /** Creates the partition, PENDING, unless it exists (in whatever state). */
    public PartitionRing addPartition(int partitionId) {
        return update(ring -> ring.partition(partitionId).isPresent()
                ? ring
                : ring.with(Partition.pending(partitionId, time.milliseconds())));
    }

    /** Moves the partition to {@code next}, if that is a legal transition from its current state. */
    public PartitionRing changeState(int partitionId, PartitionState next) {
        return update(ring -> ring.with(existing(ring, partitionId).withState(next, time.milliseconds())));
    }

    /** Adds the ingester as the partition's owner in {@code zone}, or refreshes its entry and heartbeat. */
    public PartitionRing upsertOwner(int partitionId, String ingesterId, String zone, OwnerState state) {
        return update(ring -> ring.with(existing(ring, partitionId)
                .withOwner(new PartitionOwner(ingesterId, zone, state, time.milliseconds()))));
    }

    /** Removes the ingester's ownership; nothing happens if it is not an owner. */
    public PartitionRing removeOwner(int partitionId, String ingesterId) {
        return update(ring -> ring.partition(partitionId)
                .map(p -> ring.with(p.withoutOwner(ingesterId)))
                .orElse(ring));
    }

    /** Deletes an INACTIVE partition without owners; nothing happens if it does not exist. */
    public PartitionRing deletePartition(int partitionId) {
        return update(ring -> {
            if (ring.partition(partitionId).isEmpty()) {
                return ring;
            }
            Partition p = ring.partition(partitionId).get();
            if (p.state() != PartitionState.INACTIVE) {
                throw new IllegalStateException("partition " + partitionId + " is " + p.state()
                        + ": only an INACTIVE partition can be deleted; make it INACTIVE first");
            }
            if (!p.owners().isEmpty()) {
                throw new IllegalStateException("partition " + partitionId + " still has owners "
                        + p.owners().stream().map(PartitionOwner::ingesterId).toList() + ": remove them first");
            }
            return ring.without(partitionId);
        });
    }

    private static Partition existing(PartitionRing ring, int partitionId) {
        return ring.partition(partitionId).orElseThrow(() -> new IllegalStateException(
                "partition " + partitionId + " does not exist in the ring: add it first"));
    }
}
