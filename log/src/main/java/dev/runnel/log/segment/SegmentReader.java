package dev.runnel.log.segment;

import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.zip.CRC32C;
import org.apache.kafka.common.TopicPartition;

/**
 * Reads a whole segment object back: checks magic, version and checksums and returns its index.
 * The fetch path does not need it (it reads chunks by the byte ranges the metadata store
 * holds); compaction, recovery and tests do.
 */
public final class SegmentReader {
    private SegmentReader() {
    }

    /** Bytes at the start of an object that {@link #createdMillis} reads. */
    public static final int HEADER_SIZE = SegmentFormat.HEADER_SIZE;

    /**
     * The {@code created_ms} of a segment object from its first {@link #HEADER_SIZE} bytes (at
     * least): the wall-clock time of the flush that wrote it, taken before the object was written.
     *
     * @throws CorruptSegmentException if the bytes do not start a version 1 segment object
     */
    public static long createdMillis(ByteBuffer header) {
        int base = header.position();
        if (header.remaining() < SegmentFormat.HEADER_SIZE || header.getInt(base) != SegmentFormat.MAGIC) {
            throw new CorruptSegmentException("not the header of a segment object");
        }
        short version = header.getShort(base + 4);
        if (version != SegmentFormat.VERSION) {
            throw new CorruptSegmentException("unsupported segment version " + version + ", expected " + SegmentFormat.VERSION);
        }
        return header.getLong(base + 8);
    }

    /** The chunks of {@code object}, each verified against its CRC32C. */
    public static List<SegmentChunk> readIndex(ByteBuffer object) {
        ByteBuffer buf = object.duplicate();
        int base = buf.position();
        int length = buf.remaining();
        if (length < SegmentFormat.HEADER_SIZE + 4 + SegmentFormat.FOOTER_SIZE) {
            throw new CorruptSegmentException("object of " + length + " bytes is too short to be a segment");
        }
        if (buf.getInt(base) != SegmentFormat.MAGIC) {
            throw new CorruptSegmentException("bad magic at start of segment");
        }
        short version = buf.getShort(base + 4);
        if (version != SegmentFormat.VERSION) {
            throw new CorruptSegmentException("unsupported segment version " + version + ", expected " + SegmentFormat.VERSION);
        }
        int footer = base + length - SegmentFormat.FOOTER_SIZE;
        if (buf.getInt(footer + 20) != SegmentFormat.MAGIC) {
            throw new CorruptSegmentException("bad magic in segment footer (truncated object?)");
        }
        long indexPosition = buf.getLong(footer);
        int indexLength = buf.getInt(footer + 8);
        int indexCrc = buf.getInt(footer + 12);
        if (indexPosition < SegmentFormat.HEADER_SIZE || indexPosition + indexLength != length - SegmentFormat.FOOTER_SIZE) {
            throw new CorruptSegmentException("segment index range " + indexPosition + "+" + indexLength + " is out of bounds");
        }
        if (crc(buf, base + (int) indexPosition, indexLength) != indexCrc) {
            throw new CorruptSegmentException("segment index checksum mismatch");
        }
        ByteBuffer index = buf.duplicate().position(base + (int) indexPosition).limit(base + (int) indexPosition + indexLength).slice();
        int count = index.getInt();
        List<SegmentChunk> chunks = new ArrayList<>(count);
        for (int i = 0; i < count; i++) {
            byte[] topic = new byte[Short.toUnsignedInt(index.getShort())];
            index.get(topic);
            SegmentChunk chunk = new SegmentChunk(new TopicPartition(new String(topic, StandardCharsets.UTF_8), index.getInt()),
                    index.getInt(), index.getInt(), index.getInt(), index.getLong(), index.getLong(), index.getInt());
            if (chunk.position() < SegmentFormat.HEADER_SIZE || chunk.position() + (long) chunk.size() > indexPosition) {
                throw new CorruptSegmentException("chunk of " + chunk.partition() + " lies outside the data section");
            }
            if (crc(buf, base + chunk.position(), chunk.size()) != chunk.crc32c()) {
                throw new CorruptSegmentException("checksum mismatch in chunk of " + chunk.partition());
            }
            chunks.add(chunk);
        }
        return chunks;
    }

    private static int crc(ByteBuffer buf, int position, int length) {
        CRC32C crc = new CRC32C();
        crc.update(buf.duplicate().position(position).limit(position + length));
        return (int) crc.getValue();
    }
}
