package dev.runnel.distributor.hatracker;

import java.time.Duration;

/**
 * Timing of HA-pair elections, as Mimir's {@code distributor.ha_tracker} block.
 *
 * @param updateTimeout how often the elected replica's last-seen time is written to the store
 *     (and how stale the local copy of an election may get before it is re-read)
 * @param failoverTimeout how long without samples from the elected replica before another one
 *     is elected; must exceed {@code updateTimeout}, whose writes keep the election alive
 * @param storeRetryBackoff after a store failure, how long elections are decided locally before
 *     the store is tried again
 */
public record HaTrackerConfig(Duration updateTimeout, Duration failoverTimeout, Duration storeRetryBackoff) {

    /** Mimir's defaults: 15 s, 30 s; a failed store is retried after 1 s. */
    public static final HaTrackerConfig DEFAULTS =
            new HaTrackerConfig(Duration.ofSeconds(15), Duration.ofSeconds(30), Duration.ofSeconds(1));

    public HaTrackerConfig {
        if (updateTimeout.isNegative() || updateTimeout.isZero()) {
            throw new IllegalArgumentException("ha_tracker_update_timeout must be positive: " + updateTimeout);
        }
        if (failoverTimeout.compareTo(updateTimeout) <= 0) {
            throw new IllegalArgumentException("ha_tracker_failover_timeout (" + failoverTimeout
                    + ") must be longer than ha_tracker_update_timeout (" + updateTimeout + ")");
        }
        if (storeRetryBackoff.isNegative()) {
            throw new IllegalArgumentException("store retry backoff must not be negative: " + storeRetryBackoff);
        }
    }
}
