package dev.runnel.log.agent;

import io.netty.buffer.ByteBuf;
import io.netty.buffer.ByteBufAllocator;
import io.netty.buffer.CompositeByteBuf;
import java.nio.ByteBuffer;
import org.apache.kafka.common.protocol.Writable;

/**
 * Serializes a Kafka message of a known size into pooled direct buffers of at most
 * {@link #CHUNK_BYTES} each, joined in one composite buffer that Netty writes with a gathering
 * write. A fetch response carries tens of MiB of records: one contiguous buffer that large is
 * beyond the allocator's pools, so every response allocated, zeroed and page-faulted fresh
 * memory, which cost the agent about half its CPU while serving a consumer.
 */
final class ChunkedWritable implements Writable {
    /** Small enough for the allocator's pools. */
    static final int CHUNK_BYTES = 256 * 1024;

    private final ByteBufAllocator alloc;
    private final CompositeByteBuf out;
    private int unallocated;
    private ByteBuf current;

    /** @param size the exact number of bytes that will be written */
    ChunkedWritable(ByteBufAllocator alloc, int size) {
        this.alloc = alloc;
        this.out = alloc.compositeDirectBuffer(Math.max(2, size / CHUNK_BYTES + 1));
        this.unallocated = size;
    }

    /** The bytes written; the caller owns the buffer. */
    CompositeByteBuf finish() {
        if (current != null) {
            out.addComponent(true, current);
            current = null;
        }
        return out;
    }

    /** Releases what was written when the message could not be finished. */
    void discard() {
        if (current != null) {
            current.release();
            current = null;
        }
        out.release();
    }

    /** A current chunk with room for at least {@code bytes} (at most 8) contiguous bytes. */
    private ByteBuf room(int bytes) {
        if (current == null || current.writableBytes() < bytes) {
            if (current != null) {
                out.addComponent(true, current);
            }
            int capacity = Math.max(bytes, Math.min(CHUNK_BYTES, unallocated));
            current = alloc.directBuffer(capacity, capacity);
            unallocated -= capacity;
        }
        return current;
    }

    @Override
    public void writeByte(byte val) {
        room(1).writeByte(val);
    }

    @Override
    public void writeShort(short val) {
        room(2).writeShort(val);
    }

    @Override
    public void writeInt(int val) {
        room(4).writeInt(val);
    }

    @Override
    public void writeLong(long val) {
        room(8).writeLong(val);
    }

    @Override
    public void writeDouble(double val) {
        writeLong(Double.doubleToRawLongBits(val));
    }

    @Override
    public void writeByteArray(byte[] arr) {
        writeByteBuffer(ByteBuffer.wrap(arr));
    }

    @Override
    public void writeByteBuffer(ByteBuffer buf) {
        ByteBuffer src = buf.duplicate();
        while (src.hasRemaining()) {
            ByteBuf chunk = room(1);
            int n = Math.min(src.remaining(), chunk.writableBytes());
            chunk.writeBytes(src.slice().limit(n));
            src.position(src.position() + n);
        }
    }

    @Override
    public void writeUnsignedVarint(int value) {
        int v = value;
        while ((v & ~0x7F) != 0) {
            writeByte((byte) ((v & 0x7F) | 0x80));
            v >>>= 7;
        }
        writeByte((byte) v);
    }

    @Override
    public void writeVarint(int value) {
        writeUnsignedVarint((value << 1) ^ (value >> 31));
    }

    @Override
    public void writeVarlong(long value) {
        long v = (value << 1) ^ (value >> 63);
        while ((v & ~0x7FL) != 0) {
            writeByte((byte) ((v & 0x7F) | 0x80));
            v >>>= 7;
        }
        writeByte((byte) v);
    }
}
