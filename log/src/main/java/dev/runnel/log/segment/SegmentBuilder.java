package dev.runnel.log.segment;

import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.zip.CRC32C;
import org.apache.kafka.common.TopicPartition;

/**
 * Lays out one segment object: the record batches of many partitions, grouped so that each
 * partition's batches are contiguous (one chunk each), followed by an index and a footer. See
 * {@code log/FORMAT.md} for the byte layout.
 *
 * <p>Batches are stored exactly as producers sent them; offsets are assigned later by the
 * metadata store and patched in when the bytes are read ({@link BatchOffsets}).
 */
public final class SegmentBuilder {
    private final Map<TopicPartition, List<Integer>> batchesByPartition = new LinkedHashMap<>();
    private final List<ByteBuffer> batches = new ArrayList<>();
    private long dataBytes;

    /** Adds one record batch and returns its handle, an index into {@link Segment#batchPositions()}. */
    public int add(TopicPartition partition, ByteBuffer batch) {
        int handle = batches.size();
        batches.add(batch.duplicate());
        batchesByPartition.computeIfAbsent(partition, p -> new ArrayList<>()).add(handle);
        dataBytes += batch.remaining();
        return handle;
    }

    public boolean isEmpty() {
        return batches.isEmpty();
    }

    /** Bytes of batch data added so far. */
    public long dataBytes() {
        return dataBytes;
    }

    public Segment build(long createdMillis) {
        int indexSize = 4;
        for (TopicPartition partition : batchesByPartition.keySet()) {
            indexSize += SegmentFormat.indexEntrySize(partition.topic().getBytes(StandardCharsets.UTF_8).length);
        }
        long total = SegmentFormat.HEADER_SIZE + dataBytes + indexSize + SegmentFormat.FOOTER_SIZE;
        if (total > Integer.MAX_VALUE) {
            throw new IllegalStateException("segment would exceed 2 GiB: " + total + " bytes");
        }
        ByteBuffer out = ByteBuffer.allocate((int) total);
        out.putInt(SegmentFormat.MAGIC).putShort(SegmentFormat.VERSION).putShort((short) 0).putLong(createdMillis);

        int[] positions = new int[batches.size()];
        List<SegmentChunk> chunks = new ArrayList<>(batchesByPartition.size());
        CRC32C crc = new CRC32C();
        for (Map.Entry<TopicPartition, List<Integer>> e : batchesByPartition.entrySet()) {
            int chunkStart = out.position();
            int batchCount = 0;
            long offsetCount = 0;
            long maxTimestamp = -1L;
            crc.reset();
            for (int handle : e.getValue()) {
                ByteBuffer batch = batches.get(handle);
                positions[handle] = out.position();
                batchCount++;
                offsetCount += BatchOffsets.offsetCount(batch, batch.position());
                maxTimestamp = Math.max(maxTimestamp, BatchOffsets.maxTimestamp(batch, batch.position()));
                crc.update(batch.duplicate());
                out.put(batch.duplicate());
            }
            chunks.add(new SegmentChunk(e.getKey(), chunkStart, out.position() - chunkStart, batchCount,
                    offsetCount, maxTimestamp, (int) crc.getValue()));
        }

        int indexPosition = out.position();
        out.putInt(chunks.size());
        for (SegmentChunk chunk : chunks) {
            byte[] topic = chunk.partition().topic().getBytes(StandardCharsets.UTF_8);
            out.putShort((short) topic.length).put(topic)
                    .putInt(chunk.partition().partition())
                    .putInt(chunk.position())
                    .putInt(chunk.size())
                    .putInt(chunk.batchCount())
                    .putLong(chunk.offsetCount())
                    .putLong(chunk.maxTimestamp())
                    .putInt(chunk.crc32c());
        }
        int indexLength = out.position() - indexPosition;
        crc.reset();
        crc.update(out.array(), indexPosition, indexLength);
        out.putLong(indexPosition).putInt(indexLength).putInt((int) crc.getValue())
                .putShort(SegmentFormat.VERSION).putShort((short) 0).putInt(SegmentFormat.MAGIC);
        out.flip();
        return new Segment(out, positions, chunks);
    }
}
