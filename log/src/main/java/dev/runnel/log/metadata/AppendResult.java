package dev.runnel.log.metadata;

import org.apache.kafka.common.protocol.Errors;

/**
 * What happened to one batch of a commit: appended at {@code baseOffset}; a duplicate of a batch
 * an idempotent producer already committed (NONE with the original base offset, nothing
 * appended); or rejected with the error (UNKNOWN_TOPIC_OR_PARTITION, INVALID_PRODUCER_EPOCH,
 * OUT_OF_ORDER_SEQUENCE_NUMBER).
 */
public record AppendResult(Errors error, long baseOffset, long logStartOffset, boolean duplicate) {

    public static AppendResult appended(long baseOffset, long logStartOffset) {
        return new AppendResult(Errors.NONE, baseOffset, logStartOffset, false);
    }

    public static AppendResult duplicateOf(long originalBaseOffset, long logStartOffset) {
        return new AppendResult(Errors.NONE, originalBaseOffset, logStartOffset, true);
    }

    public static AppendResult rejected(Errors error) {
        return new AppendResult(error, -1L, -1L, false);
    }

    /** Appended now, as opposed to rejected or already in the log. */
    public boolean isAppended() {
        return error == Errors.NONE && !duplicate;
    }
}
