package dev.runnel.log.metadata;

import org.apache.kafka.common.protocol.Errors;

/**
 * What happened to one batch of a commit: {@link Errors#NONE} with the batch's base offset, or
 * the error that rejected it (UNKNOWN_TOPIC_OR_PARTITION, INVALID_PRODUCER_EPOCH,
 * OUT_OF_ORDER_SEQUENCE_NUMBER). A duplicate of an already committed batch is NONE with the
 * original base offset.
 */
public record AppendResult(Errors error, long baseOffset, long logStartOffset) {
    public static AppendResult rejected(Errors error) {
        return new AppendResult(error, -1L, -1L);
    }
}
