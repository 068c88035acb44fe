package dev.runnel.log.produce;

import java.nio.ByteBuffer;
import java.util.List;
import java.util.Set;
import org.apache.kafka.common.TopicPartition;

/**
 * A flush that is now part of the log: its object's bytes and, per partition whose batches were
 * all appended, the run of offsets that partition's chunk received. Readers use it to wake up
 * long polls and to cache the fresh bytes without reading them back from object storage. The
 * object is written and no longer needed by the produce path: the receiver may modify it.
 */
public record CommittedFlush(String objectKey, ByteBuffer object, List<Chunk> chunks, Set<TopicPartition> advanced) {

    /** One partition's chunk of the object and the first offset assigned to it. */
    public record Chunk(TopicPartition partition, int position, int size, long baseOffset) {
    }
}
