package dev.runnel.log.metadata;

import org.apache.kafka.common.TopicPartition;

/**
 * One record batch written into an object, to be committed.
 *
 * @param position      where the batch starts in the object
 * @param size          the batch's length in bytes
 * @param offsetCount   how many offsets the batch takes (its last offset delta + 1)
 * @param maxTimestamp  the batch's max timestamp
 * @param producer      the idempotent producer that wrote it, or {@link ProducerBatch#NONE}
 */
public record BatchAppend(TopicPartition partition, int position, int size, int offsetCount,
                          long maxTimestamp, ProducerBatch producer) {
    public BatchAppend {
        if (offsetCount < 1) {
            throw new IllegalArgumentException("offsetCount must be at least 1: " + offsetCount);
        }
    }
}
