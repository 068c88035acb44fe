package dev.runnel.ingester.snapshot;

import java.io.IOException;
import java.nio.ByteBuffer;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Deque;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.zip.CRC32C;

/**
 * A snapshot's byte stream, cut into parts of at most {@code partBytes} bytes: each full part is
 * handed to the {@link Sink} (an object store put) while the next one fills, with at most
 * {@link #MAX_IN_FLIGHT} parts in flight, so a head of any size is written with a few parts of
 * memory. The buffer grows up to {@code partBytes}, so a small head takes a small buffer.
 */
final class PartOutput {

    /** Parts being stored at once; writing waits for the oldest beyond that. */
    static final int MAX_IN_FLIGHT = 2;

    /** Where the parts go. */
    interface Sink {
        /** Stores part {@code index}; the buffer is the part's own, not reused. */
        CompletableFuture<Void> put(int index, ByteBuffer part);
    }

    private final int partBytes;
    private final Sink sink;
    private final List<Manifest.Part> parts = new ArrayList<>();
    private final Deque<CompletableFuture<Void>> inFlight = new ArrayDeque<>();
    private byte[] buf;
    private int pos;
    private long total;

    PartOutput(int partBytes, Sink sink) {
        if (partBytes < 16) {
            throw new IllegalArgumentException("partBytes must be at least 16: " + partBytes);
        }
        this.partBytes = partBytes;
        this.sink = sink;
        this.buf = new byte[Math.min(partBytes, 64 << 10)];
    }

    void writeByte(int b) throws IOException {
        room(1);
        buf[pos++] = (byte) b;
    }

    void writeLong(long v) throws IOException {
        room(Long.BYTES);
        for (int shift = 56; shift >= 0; shift -= 8) {
            buf[pos++] = (byte) (v >>> shift);
        }
    }

    void writeInt(int v) throws IOException {
        room(Integer.BYTES);
        for (int shift = 24; shift >= 0; shift -= 8) {
            buf[pos++] = (byte) (v >>> shift);
        }
    }

    /** An unsigned LEB128 varint (as protobuf's), 1 to 10 bytes. */
    void writeVarint(long v) throws IOException {
        room(10);
        while ((v & ~0x7FL) != 0) {
            buf[pos++] = (byte) ((v & 0x7F) | 0x80);
            v >>>= 7;
        }
        buf[pos++] = (byte) v;
    }

    void write(byte[] src, int offset, int length) throws IOException {
        while (length > 0) {
            room(1);
            int n = Math.min(length, buf.length - pos);
            System.arraycopy(src, offset, buf, pos, n);
            pos += n;
            offset += n;
            length -= n;
        }
    }

    /** Bytes written so far. */
    long size() {
        return total + pos;
    }

    /** Stores the last part and waits for every part to be stored; returns the parts in order. */
    List<Manifest.Part> finish() throws IOException {
        if (pos > 0 || parts.isEmpty()) {
            cut();
        }
        while (!inFlight.isEmpty()) {
            await(inFlight.removeFirst());
        }
        return List.copyOf(parts);
    }

    /** Makes room for {@code n} bytes (at most 10, or 1 for array writes): grows the buffer, else cuts a part. */
    private void room(int n) throws IOException {
        if (pos + n <= buf.length) {
            return;
        }
        if (buf.length < partBytes) {
            buf = Arrays.copyOf(buf, Math.min(partBytes, Math.max(buf.length * 2, pos + n)));
            if (pos + n <= buf.length) {
                return;
            }
        }
        cut();
    }

    private void cut() throws IOException {
        byte[] part = Arrays.copyOf(buf, pos);
        CRC32C crc = new CRC32C();
        crc.update(part);
        parts.add(new Manifest.Part(part.length, (int) crc.getValue()));
        if (inFlight.size() >= MAX_IN_FLIGHT) {
            await(inFlight.removeFirst());
        }
        inFlight.addLast(sink.put(parts.size() - 1, ByteBuffer.wrap(part)));
        total += pos;
        pos = 0;
    }

    private static void await(CompletableFuture<Void> put) throws IOException {
        SnapshotStore.await(put, "storing a snapshot part");
    }
}
