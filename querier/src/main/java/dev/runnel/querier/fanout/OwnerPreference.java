package dev.runnel.querier.fanout;

import java.time.Clock;
import java.time.Duration;
import java.util.Objects;

/**
 * Which owners of a partition the fan-out asks, and in which order: ACTIVE owners with a query
 * address whose ring heartbeat is at most {@code heartbeatTimeout} old (all of them when none
 * is, since a stale heartbeat may only mean the ring could not be written), those of
 * {@code zone} first, then the other zones in zone order.
 *
 * @param zone             the querier's zone, as {@code -zone} spells it ({@code zone-a}) or as the ring does ({@code a})
 * @param heartbeatTimeout how old an owner's heartbeat may be before other owners are preferred
 *                         ({@code -querier.ingester-heartbeat-timeout}, 1m)
 * @param clock            what "now" is for the heartbeats
 */
public record OwnerPreference(String zone, Duration heartbeatTimeout, Clock clock) {
    public static final Duration DEFAULT_HEARTBEAT_TIMEOUT = Duration.ofMinutes(1);

    public OwnerPreference {
        Objects.requireNonNull(zone, "zone");
        // The ring keeps an owner's zone as its ingester id names it: ingester-zone-a-0 is in zone "a".
        zone = zone.startsWith("zone-") ? zone.substring("zone-".length()) : zone;
        Objects.requireNonNull(clock, "clock");
        if (heartbeatTimeout.isNegative() || heartbeatTimeout.isZero()) {
            throw new IllegalArgumentException("ingester heartbeat timeout must be positive: " + heartbeatTimeout);
        }
    }

    /** {@code zone} first, with the default heartbeat timeout and the system clock. */
    public static OwnerPreference zone(String zone) {
        return new OwnerPreference(zone, DEFAULT_HEARTBEAT_TIMEOUT, Clock.systemUTC());
    }
}
