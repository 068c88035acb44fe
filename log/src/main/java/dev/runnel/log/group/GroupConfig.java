package dev.runnel.log.group;

/**
 * Tunables of the {@link GroupCoordinator}, with Kafka's broker defaults.
 *
 * @param initialRebalanceDelayMs how long the first rebalance of an empty group waits for more
 *     members ({@code group.initial.rebalance.delay.ms}); extended while members keep arriving,
 *     up to the rebalance timeout. 0 completes as soon as every member has joined.
 * @param minSessionTimeoutMs smallest session timeout a member may ask for
 *     ({@code group.min.session.timeout.ms}); smaller ones answer INVALID_SESSION_TIMEOUT
 * @param maxSessionTimeoutMs largest session timeout a member may ask for
 *     ({@code group.max.session.timeout.ms})
 * @param maxMetadataBytes longest metadata string an offset commit may carry
 *     ({@code offset.metadata.max.bytes}); longer ones answer OFFSET_METADATA_TOO_LARGE
 */
public record GroupConfig(
        long initialRebalanceDelayMs, int minSessionTimeoutMs, int maxSessionTimeoutMs, int maxMetadataBytes) {

    /** Kafka's defaults: 3 s initial delay, session timeouts between 6 s and 30 min, 4 KiB metadata. */
    public static final GroupConfig DEFAULT = new GroupConfig(3_000, 6_000, 1_800_000, 4_096);

    public GroupConfig {
        if (initialRebalanceDelayMs < 0) {
            throw new IllegalArgumentException("initialRebalanceDelayMs must not be negative: " + initialRebalanceDelayMs);
        }
        if (minSessionTimeoutMs < 0 || maxSessionTimeoutMs < minSessionTimeoutMs) {
            throw new IllegalArgumentException(
                    "bad session timeout bounds: " + minSessionTimeoutMs + ".." + maxSessionTimeoutMs);
        }
        if (maxMetadataBytes < 0) {
            throw new IllegalArgumentException("maxMetadataBytes must not be negative: " + maxMetadataBytes);
        }
    }

    /** This configuration with another initial rebalance delay. */
    public GroupConfig withInitialRebalanceDelayMs(long delayMs) {
        return new GroupConfig(delayMs, minSessionTimeoutMs, maxSessionTimeoutMs, maxMetadataBytes);
    }
}
