package dev.runnel.log.metadata;

import org.apache.kafka.common.TopicPartition;

/**
 * A committed run of batches of one partition: offsets {@code baseOffset..lastOffset} (both
 * inclusive) stored contiguously at {@code position..position+size} of object {@code objectKey}.
 */
public record IndexEntry(TopicPartition partition, long baseOffset, long lastOffset, String objectKey,
                         int position, int size, long maxTimestamp) {
}
