package dev.runnel.distributor.sharding;

/**
 * The partition ring's stand-in for tests without a ring: cuts the 32-bit hash space into as many
 * equal, contiguous ranges as the ingest topic has partitions, and gives partition {@code p} the
 * {@code p}-th range.
 */
public final class TopicPartitions implements PartitionSelector {

    private final int partitions;

    public TopicPartitions(int partitions) {
        if (partitions < 1) {
            throw new IllegalArgumentException("partitions must be at least 1: " + partitions);
        }
        this.partitions = partitions;
    }

    @Override
    public int partitionFor(String tenant, int seriesHash) {
        return (int) (((seriesHash & 0xFFFFFFFFL) * partitions) >>> 32);
    }

    @Override
    public String toString() {
        return "TopicPartitions(" + partitions + ")";
    }
}
