package dev.runnel.log.segment;

import org.apache.kafka.common.TopicPartition;

/** One partition's contiguous run of batches inside a segment object, as its index lists it. */
public record SegmentChunk(TopicPartition partition, int position, int size, int batchCount,
                           long offsetCount, long maxTimestamp, int crc32c) {
}
