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
 * @param address     {@code host:port} of its query service; empty if it serves none (or registered before
 *                    the ring recorded addresses)
 */
public record PartitionOwner(String ingesterId, String zone, OwnerState state, long heartbeatMs, String address) {
    public PartitionOwner {
        Objects.requireNonNull(ingesterId, "ingesterId");
        Objects.requireNonNull(zone, "zone");
        Objects.requireNonNull(state, "state");
        Objects.requireNonNull(address, "address");
        if (ingesterId.isEmpty() || zone.isEmpty()) {
            throw new IllegalArgumentException("owner id and zone must not be empty: '" + ingesterId + "', '" + zone + "'");
        }
    }

    /** An owner without a query address. */
    public PartitionOwner(String ingesterId, String zone, OwnerState state, long heartbeatMs) {
        this(ingesterId, zone, state, heartbeatMs, "");
    }

    /** Active and heard from within {@code heartbeatTimeout} before {@code nowMs}. */
    public boolean isHealthy(long nowMs, Duration heartbeatTimeout) {
        return state == OwnerState.ACTIVE && nowMs - heartbeatMs <= heartbeatTimeout.toMillis();
    }
}
