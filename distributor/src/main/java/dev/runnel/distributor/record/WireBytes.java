package dev.runnel.distributor.record;

import java.lang.invoke.MethodHandles;
import java.lang.invoke.VarHandle;
import java.nio.ByteOrder;

/**
 * Writes protobuf varints and fixed64 values straight into a byte array, for the encoder's
 * per-series loop: each call returns the position after what it wrote. The caller has sized the
 * array already (from {@code CodedOutputStream.compute*Size}), so nothing is checked here.
 */
final class WireBytes {

    private static final VarHandle LONGS = MethodHandles.byteArrayViewVarHandle(long[].class, ByteOrder.LITTLE_ENDIAN);

    private WireBytes() {
    }

    /** An unsigned 32-bit varint: tags, lengths, symbol references. */
    static int putVarint(byte[] b, int p, int value) {
        while ((value & ~0x7F) != 0) {
            b[p++] = (byte) ((value & 0x7F) | 0x80);
            value >>>= 7;
        }
        b[p++] = (byte) value;
        return p;
    }

    /** A 64-bit varint, ten bytes for a negative value, as protobuf writes int64. */
    static int putVarint64(byte[] b, int p, long value) {
        while ((value & ~0x7FL) != 0) {
            b[p++] = (byte) ((value & 0x7F) | 0x80);
            value >>>= 7;
        }
        b[p++] = (byte) value;
        return p;
    }

    /** Eight little-endian bytes: a double's raw bits (stale markers stay bit for bit). */
    static int putFixed64(byte[] b, int p, long value) {
        LONGS.set(b, p, value);
        return p + 8;
    }
}
