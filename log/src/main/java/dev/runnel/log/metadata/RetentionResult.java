package dev.runnel.log.metadata;

/**
 * What one {@link MetadataStore#applyRetention} call did.
 *
 * @param deletedEntries index entries deleted
 * @param deletedBytes   bytes those entries indexed
 * @param deadObjects    objects that lost their last index reference and became dead objects
 * @param logStartOffset the partition's log start offset afterwards; -1 for an unknown partition
 * @param more           the call stopped at its {@code maxEntries} limit: more entries may be deletable
 */
public record RetentionResult(int deletedEntries, long deletedBytes, int deadObjects, long logStartOffset,
                              boolean more) {

    /** The answer for a partition that does not exist (for instance a topic deleted meanwhile). */
    public static final RetentionResult UNKNOWN_PARTITION = new RetentionResult(0, 0L, 0, -1L, false);

    /** Nothing was deleted; the log starts at {@code logStartOffset}. */
    public static RetentionResult nothing(long logStartOffset) {
        return new RetentionResult(0, 0L, 0, logStartOffset, false);
    }
}
