package dev.runnel.distributor.sharding;

/**
 * Chooses the log partition a series is written to. The partition ring will implement this;
 * until then {@link TopicPartitions} spreads series over the ingest topic's partitions.
 */
@FunctionalInterface
public interface PartitionSelector {

    /** The partition (0 or more) for a series of {@code tenant} with {@link SeriesHash} {@code seriesHash}. */
    int partitionFor(String tenant, int seriesHash);
}
