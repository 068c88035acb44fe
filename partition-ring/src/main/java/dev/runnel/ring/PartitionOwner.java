package dev.runnel.ring;

import java.time.Duration;
import java.util.Objects;

/**
 * An ingester that owns a partition in one zone.
 *
 * @param ingesterId  the ingester's id, e.g. {@code ingester-zone-a-3}
 * @param zone        its zone; a partition has at most one owner per zone
 * @param state       whether it is serving the partition
 * @param heartbeatMs when it last wrote its ownership, in epoch milliseconds
 */
public record PartitionOwner(String ingesterId, String zone, OwnerState state, long heartbeatMs) {
    public PartitionOwner {
        Objects.requireNonNull(ingesterId, "ingesterId");
        Objects.requireNonNull(zone, "zone");
        Objects.requireNonNull(state, "state");
        if (ingesterId.isEmpty() || zone.isEmpty()) {
            throw new IllegalArgumentException("owner id and zone must not be empty: '" + ingesterId + "', '" + zone + "'");
        }
    }

    /** Active and heard from within {@code heartbeatTimeout} before {@code nowMs}. */
    public boolean isHealthy(long nowMs, Duration heartbeatTimeout) {
        return state == OwnerState.ACTIVE && nowMs - heartbeatMs <= heartbeatTimeout.toMillis();
    }
}
