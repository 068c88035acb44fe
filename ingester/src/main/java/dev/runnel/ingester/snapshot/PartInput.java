package dev.runnel.ingester.snapshot;

import java.io.EOFException;
import java.io.IOException;
import java.nio.ByteBuffer;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.zip.CRC32C;

/**
 * A snapshot's byte stream read back from its parts: each part is fetched whole (the next one
 * while the current one is read), and its length and CRC-32C are checked against the manifest
 * before a byte of it is used, so corrupt bytes are never parsed. Values may straddle parts.
 */
final class PartInput {

    /** Where the parts come from. */
    interface Source {
        CompletableFuture<ByteBuffer> get(int index);
    }

    private final List<Manifest.Part> parts;
    private final Source source;
    private CompletableFuture<ByteBuffer> next;
    private int index;
    private ByteBuffer current = ByteBuffer.allocate(0);

    PartInput(List<Manifest.Part> parts, Source source) {
        this.parts = parts;
        this.source = source;
        this.next = parts.isEmpty() ? null : source.get(0);
    }

    int readByte() throws IOException {
        if (!current.hasRemaining()) {
            nextPart();
        }
        return current.get() & 0xFF;
    }

    long readLong() throws IOException {
        if (current.remaining() >= Long.BYTES) {
            return current.getLong();
        }
        long v = 0;
        for (int i = 0; i < Long.BYTES; i++) {
            v = (v << 8) | readByte();
        }
        return v;
    }

    int readInt() throws IOException {
        int v = 0;
        for (int i = 0; i < Integer.BYTES; i++) {
            v = (v << 8) | readByte();
        }
        return v;
    }

    long readVarint() throws IOException {
        long v = 0;
        for (int shift = 0; shift < 64; shift += 7) {
            int b = readByte();
            v |= (long) (b & 0x7F) << shift;
            if ((b & 0x80) == 0) {
                return v;
            }
        }
        throw new IOException("varint longer than 10 bytes");
    }

    /** A varint that must lie in {@code [0, max]}; {@code what} names it in the error. */
    int readCount(int max, String what) throws IOException {
        long v = readVarint();
        if (v < 0 || v > max) {
            throw new IOException(what + " " + v + " is out of range [0, " + max + "]");
        }
        return (int) v;
    }

    void readFully(byte[] dst, int offset, int length) throws IOException {
        while (length > 0) {
            if (!current.hasRemaining()) {
                nextPart();
            }
            int n = Math.min(length, current.remaining());
            current.get(dst, offset, n);
            offset += n;
            length -= n;
        }
    }

    /** Whether every byte of every part has been read. */
    boolean atEnd() {
        return !current.hasRemaining() && index == parts.size();
    }

    private void nextPart() throws IOException {
        if (index == parts.size()) {
            throw new EOFException("the snapshot ends early, in the middle of a value");
        }
        ByteBuffer bytes = SnapshotStore.await(next, "reading snapshot part " + index);
        Manifest.Part expected = parts.get(index);
        if (bytes.remaining() != expected.length()) {
            throw new IOException("snapshot part " + index + " has " + bytes.remaining() + " bytes, the manifest says " + expected.length());
        }
        CRC32C crc = new CRC32C();
        crc.update(bytes.duplicate());
        if ((int) crc.getValue() != expected.crc()) {
            throw new IOException("snapshot part " + index + " is corrupt: CRC-32C " + Integer.toHexString((int) crc.getValue())
                    + ", the manifest says " + Integer.toHexString(expected.crc()));
        }
        current = bytes;
        index++;
        next = index < parts.size() ? source.get(index) : null;
    }
}
