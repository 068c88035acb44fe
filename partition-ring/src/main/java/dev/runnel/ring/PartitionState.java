package dev.runnel.ring;

/**
 * The life of a partition of the ingest topic. A partition is created PENDING, becomes ACTIVE
 * once it has owners, and is made INACTIVE before it is removed (scale-down) or while it is
 * drained; an INACTIVE partition can be made ACTIVE again.
 *
 * <pre>
 *   PENDING ──▶ ACTIVE ◀──▶ INACTIVE ──▶ (deleted, once it has no owners)
 * </pre>
 */
public enum PartitionState {
    /** Created, waiting for owners: neither written nor read. */
    PENDING,
    /** Written by distributors and read by queriers. */
    ACTIVE,
    /** No longer written, still read: its data ages out of the queried time range. */
    INACTIVE;

    /** Whether distributors write to a partition in this state. */
    public boolean isWritable() {
        return this == ACTIVE;
    }

    /** Whether queriers read a partition in this state. */
    public boolean isReadable() {
        return this == ACTIVE || this == INACTIVE;
    }

    /** Whether a partition may go from this state to {@code next}; staying put is not a change. */
    public boolean canChangeTo(PartitionState next) {
        return switch (this) {
            case PENDING, INACTIVE -> next == ACTIVE;
            case ACTIVE -> next == INACTIVE;
        };
    }
}
