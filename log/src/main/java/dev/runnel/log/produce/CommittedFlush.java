package dev.runnel.log.produce;

import java.nio.ByteBuffer;
import java.util.Set;
import org.apache.kafka.common.TopicPartition;

/**
 * A flush that is now part of the log: its object's bytes and the partitions whose high
 * watermark it advanced. Readers use it to wake up long polls and to cache the fresh object
 * without reading it back from object storage. The object is written and no longer needed by
 * the produce path; the receiver must not modify it (readers share it).
 */
public record CommittedFlush(String objectKey, ByteBuffer object, Set<TopicPartition> advanced) {
}
