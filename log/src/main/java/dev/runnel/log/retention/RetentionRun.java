package dev.runnel.log.retention;

/**
 * What one {@link RetentionJob} run did.
 *
 * @param deletedEntries     index entries deleted by retention
 * @param deletedBytes       bytes those entries indexed
 * @param trimmedPartitions  partitions whose log start offset moved
 * @param deletedDeadObjects objects deleted from object storage after their grace period
 * @param deletedOrphans     never-committed objects deleted from object storage
 * @param failures           steps that failed (a partition's retention, an object's deletion, a
 *                           listing); they are retried by the next run
 */
public record RetentionRun(long deletedEntries, long deletedBytes, int trimmedPartitions, int deletedDeadObjects,
                           int deletedOrphans, int failures) {

    /** Whether the run deleted anything, from the index or from object storage. */
    public boolean deletedAnything() {
        return deletedEntries > 0 || deletedDeadObjects > 0 || deletedOrphans > 0;
    }
}
