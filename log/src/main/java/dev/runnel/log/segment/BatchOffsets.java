package dev.runnel.log.segment;

import java.nio.ByteBuffer;

/**
 * Reads and patches the header fields of Kafka v2 record batches in place.
 *
 * <p>Objects are written before the metadata store assigns offsets, so stored batches carry
 * whatever base offset the producer sent (0). The base offset and the partition leader epoch
 * lie outside the batch CRC, which covers only the bytes from the attributes on; patching them
 * on read keeps every batch valid for clients that check CRCs.
 *
 * <pre>
 * v2 batch header:  base_offset int64 | batch_length int32 | partition_leader_epoch int32 |
 *                   magic int8 | crc uint32 | attributes int16 | last_offset_delta int32 |
 *                   base_timestamp int64 | max_timestamp int64 | producer_id int64 | ...
 * </pre>
 */
public final class BatchOffsets {
    static final int LENGTH_OFFSET = 8;
    static final int LEADER_EPOCH_OFFSET = 12;
    static final int MAGIC_OFFSET = 16;
    static final int LAST_OFFSET_DELTA_OFFSET = 23;
    static final int MAX_TIMESTAMP_OFFSET = 35;
    /** Bytes before batch_length's count starts: base_offset + batch_length. */
    static final int LOG_OVERHEAD = 12;
    /** The fixed header of a v2 batch. */
    public static final int HEADER_SIZE = 61;

    private BatchOffsets() {
    }

    /** The size in bytes of the batch starting at {@code position}. */
    public static int batchSize(ByteBuffer buf, int position) {
        return LOG_OVERHEAD + buf.getInt(position + LENGTH_OFFSET);
    }

    /** How many offsets the batch at {@code position} takes. */
    public static int offsetCount(ByteBuffer buf, int position) {
        return buf.getInt(position + LAST_OFFSET_DELTA_OFFSET) + 1;
    }

    public static long maxTimestamp(ByteBuffer buf, int position) {
        return buf.getLong(position + MAX_TIMESTAMP_OFFSET);
    }

    /**
     * Assigns consecutive offsets to the batches in {@code chunk} (position to limit), the first
     * starting at {@code baseOffset}, and clears the leader epoch. Returns the next offset.
     *
     * @throws CorruptSegmentException if the batches do not tile the range exactly
     */
    public static long assign(ByteBuffer chunk, long baseOffset) {
        long next = baseOffset;
        int position = chunk.position();
        int end = chunk.limit();
        while (position < end) {
            if (end - position < HEADER_SIZE) {
                throw new CorruptSegmentException("truncated batch header at byte " + position);
            }
            int size = batchSize(chunk, position);
            if (size < HEADER_SIZE || size > end - position) {
                throw new CorruptSegmentException("batch at byte " + position + " claims " + size + " bytes");
            }
            chunk.putLong(position, next);
            chunk.putInt(position + LEADER_EPOCH_OFFSET, 0);
            next += offsetCount(chunk, position);
            position += size;
        }
        return next;
    }
}
