package dev.runnel.ring;

import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Objects;
import java.util.Optional;

/**
 * One partition of the ingest topic in the ring.
 *
 * @param id             the partition of the log topic
 * @param state          whether it is written and read
 * @param stateChangedMs when {@code state} was last changed, in epoch milliseconds
 * @param owners         its ingesters, at most one per zone, ordered by zone
 */
public record Partition(int id, PartitionState state, long stateChangedMs, List<PartitionOwner> owners) {
    public Partition {
        if (id < 0 || id >= PartitionTokens.MAX_PARTITIONS) {
            throw new IllegalArgumentException(
                    "partition id must be in [0, " + PartitionTokens.MAX_PARTITIONS + "): " + id);
        }
        Objects.requireNonNull(state, "state");
        List<PartitionOwner> sorted = new ArrayList<>(owners);
        sorted.sort(Comparator.comparing(PartitionOwner::zone));
        for (int i = 1; i < sorted.size(); i++) {
            if (sorted.get(i).zone().equals(sorted.get(i - 1).zone())) {
                throw new IllegalArgumentException("partition " + id + " has two owners in zone "
                        + sorted.get(i).zone() + ": " + sorted.get(i - 1).ingesterId() + ", " + sorted.get(i).ingesterId());
            }
        }
        owners = List.copyOf(sorted);
    }

    static Partition pending(int id, long nowMs) {
        return new Partition(id, PartitionState.PENDING, nowMs, List.of());
    }

    /** The owner in {@code zone}, if any. */
    public Optional<PartitionOwner> owner(String zone) {
        return owners.stream().filter(o -> o.zone().equals(zone)).findFirst();
    }

    /** The owner with this ingester id, if any. */
    public Optional<PartitionOwner> ownerById(String ingesterId) {
        return owners.stream().filter(o -> o.ingesterId().equals(ingesterId)).findFirst();
    }

    /** How many owners are {@link OwnerState#ACTIVE}. */
    public int activeOwnerCount() {
        return (int) owners.stream().filter(o -> o.state() == OwnerState.ACTIVE).count();
    }

    /** This partition in {@code next} state; throws if the ring's rules forbid the change. */
    Partition withState(PartitionState next, long nowMs) {
        if (!state.canChangeTo(next)) {
            throw new IllegalStateException("partition " + id + " cannot change from " + state + " to " + next
                    + ": allowed are PENDING→ACTIVE, ACTIVE→INACTIVE and INACTIVE→ACTIVE");
        }
        return new Partition(id, next, nowMs, owners);
    }

    /** This partition with {@code owner} added or replacing the same ingester's entry. */
    Partition withOwner(PartitionOwner owner) {
        Optional<PartitionOwner> inZone = owner(owner.zone());
        if (inZone.isPresent() && !inZone.get().ingesterId().equals(owner.ingesterId())) {
            throw new IllegalStateException("partition " + id + " already has owner " + inZone.get().ingesterId()
                    + " in zone " + owner.zone() + ": remove it before adding " + owner.ingesterId());
        }
        List<PartitionOwner> next = new ArrayList<>(owners);
        next.removeIf(o -> o.ingesterId().equals(owner.ingesterId()));
        next.add(owner);
        return new Partition(id, state, stateChangedMs, next);
    }

    /** This partition without the ingester's ownership (unchanged if it was not an owner). */
    Partition withoutOwner(String ingesterId) {
        List<PartitionOwner> next = new ArrayList<>(owners);
        next.removeIf(o -> o.ingesterId().equals(ingesterId));
        return new Partition(id, state, stateChangedMs, next);
    }
}
