package dev.runnel.ring;

/** Whether an ingester that owns a partition is serving it right now. */
public enum OwnerState {
    /** Running: consuming the partition and answering queries for it. */
    ACTIVE,
    /**
     * Shut down gracefully but still the owner, expected back (a restart or a rollout). Queriers
     * go to the other zone at once instead of waiting for its heartbeat to go stale.
     */
    STOPPED
}
