package dev.runnel.ingester.snapshot;

import java.io.IOException;
import java.nio.BufferUnderflowException;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.zip.CRC32C;

/**
 * The object that makes a snapshot complete, written after all its parts are stored: the offset
 * the snapshot covers and each part's length and CRC-32C. Layout (big-endian, SNAPSHOT.md):
 * <pre>
 * "RNSM" | u8 version (1) | i64 offset | i64 created_ms | i64 tenants | i64 series | i64 bytes
 *        | i32 parts | parts x (i32 length | i32 crc32c) | i32 crc32c of everything before it
 * </pre>
 *
 * @param offset    the offset of the next record to apply: the snapshot holds every record before it and none after
 * @param createdMs when the head was captured (the log's clock, milliseconds)
 * @param bytes     the stream's length, the sum of the parts' lengths
 */
record Manifest(long offset, long createdMs, long tenants, long series, long bytes, List<Part> parts) {

    static final byte[] MAGIC = "RNSM".getBytes(StandardCharsets.US_ASCII);
    static final int VERSION = 1;
    private static final int MAX_PARTS = 1 << 20;

    /** One part: its length and CRC-32C. */
    record Part(int length, int crc) {
    }

    Manifest {
        parts = List.copyOf(parts);
    }

    ByteBuffer encode() {
        ByteBuffer b = ByteBuffer.allocate(MAGIC.length + 1 + 5 * Long.BYTES + Integer.BYTES + parts.size() * 2 * Integer.BYTES + Integer.BYTES);
        b.put(MAGIC).put((byte) VERSION).putLong(offset).putLong(createdMs).putLong(tenants).putLong(series).putLong(bytes)
                .putInt(parts.size());
        for (Part p : parts) {
            b.putInt(p.length()).putInt(p.crc());
        }
        b.putInt(crc(b.array(), b.position()));
        return b.flip();
    }

    /** @throws IOException if the bytes are not a manifest of a version this build reads, or are corrupt */
    static Manifest decode(ByteBuffer bytes) throws IOException {
        ByteBuffer b = bytes.duplicate();
        try {
            byte[] magic = new byte[MAGIC.length];
            b.get(magic);
            if (!java.util.Arrays.equals(magic, MAGIC)) {
                throw new IOException("not a snapshot manifest: it starts with " + new String(magic, StandardCharsets.ISO_8859_1));
            }
            int version = b.get();
            if (version != VERSION) {
                throw new IOException("snapshot manifest version " + version + " is not supported (this build reads " + VERSION + ")");
            }
            long offset = b.getLong();
            long created = b.getLong();
            long tenants = b.getLong();
            long series = b.getLong();
            long total = b.getLong();
            int count = b.getInt();
            if (count < 1 || count > MAX_PARTS) {
                throw new IOException("snapshot manifest lists " + count + " parts");
            }
            List<Part> parts = new ArrayList<>(count);
            long sum = 0;
            for (int i = 0; i < count; i++) {
                Part p = new Part(b.getInt(), b.getInt());
                if (p.length() < 0) {
                    throw new IOException("snapshot part " + i + " has a negative length");
                }
                sum += p.length();
                parts.add(p);
            }
            int end = b.position();
            int crc = b.getInt();
            byte[] covered = new byte[end - bytes.position()];
            bytes.duplicate().get(covered);
            if (crc != crc(covered, covered.length)) {
                throw new IOException("snapshot manifest is corrupt: its CRC-32C does not match");
            }
            if (b.hasRemaining()) {
                throw new IOException("snapshot manifest has " + b.remaining() + " bytes after its end");
            }
            if (offset < 0 || sum != total) {
                throw new IOException("snapshot manifest is inconsistent: offset " + offset + ", " + total + " bytes in parts of " + sum);
            }
            return new Manifest(offset, created, tenants, series, total, parts);
        } catch (BufferUnderflowException e) {
            throw new IOException("snapshot manifest is truncated", e);
        }
    }

    private static int crc(byte[] bytes, int length) {
        CRC32C crc = new CRC32C();
        crc.update(bytes, 0, length);
        return (int) crc.getValue();
    }
}
