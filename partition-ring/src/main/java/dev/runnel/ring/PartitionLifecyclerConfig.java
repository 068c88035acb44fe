package dev.runnel.ring;

import java.time.Duration;
import java.util.Objects;

/**
 * How an ingester takes part in the partition ring.
 *
 * @param ingesterId            {@code ingester-zone-<zone>-<partition>}: which partition it owns, in which zone
 * @param heartbeatPeriod       how often it rewrites its ownership (15 s by default)
 * @param minOwnersToActivate   how many ACTIVE owners a PENDING partition needs to become ACTIVE (1 by default)
 * @param removeOwnerOnShutdown whether a graceful shutdown gives the partition up (for a scale-down)
 *                              rather than keeping it as a STOPPED owner (for a restart; the default)
 * @param address               {@code host:port} where its query service listens, for queriers; empty if none
 */
public record PartitionLifecyclerConfig(String ingesterId, Duration heartbeatPeriod, int minOwnersToActivate,
                                        boolean removeOwnerOnShutdown, String address) {
    public static final Duration DEFAULT_HEARTBEAT_PERIOD = Duration.ofSeconds(15);

    public PartitionLifecyclerConfig {
        IngesterId.parse(ingesterId);
        Objects.requireNonNull(heartbeatPeriod, "heartbeatPeriod");
        if (heartbeatPeriod.toMillis() <= 0) {
            throw new IllegalArgumentException("heartbeatPeriod must be positive: " + heartbeatPeriod);
        }
        Objects.requireNonNull(address, "address");
        if (minOwnersToActivate < 1) {
            throw new IllegalArgumentException("minOwnersToActivate must be at least 1: " + minOwnersToActivate);
        }
    }

    /** Without a query address. */
    public PartitionLifecyclerConfig(String ingesterId, Duration heartbeatPeriod, int minOwnersToActivate,
                                     boolean removeOwnerOnShutdown) {
        this(ingesterId, heartbeatPeriod, minOwnersToActivate, removeOwnerOnShutdown, "");
    }

    public static PartitionLifecyclerConfig defaults(String ingesterId) {
        return new PartitionLifecyclerConfig(ingesterId, DEFAULT_HEARTBEAT_PERIOD, 1, false);
    }

    /** This config with the ingester's query service at {@code address} ({@code host:port}). */
    public PartitionLifecyclerConfig withAddress(String address) {
        return new PartitionLifecyclerConfig(ingesterId, heartbeatPeriod, minOwnersToActivate, removeOwnerOnShutdown, address);
    }

    IngesterId id() {
        return IngesterId.parse(ingesterId);
    }
}
