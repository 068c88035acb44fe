package dev.runnel.distributor.write;

import java.lang.invoke.MethodHandles;
import java.lang.invoke.VarHandle;
import java.nio.ByteOrder;

/**
 * A fast hash over byte ranges, for label bytes: reads eight bytes at a time and mixes each word
 * with multiply-rotate rounds in the manner of xxHash64, with each range's length mixed in first
 * so that consecutive ranges cannot run into each other, then folds the 64-bit state to 32 bits
 * with a final avalanche. The series hash that places series on partitions is built on it, so
 * it must never change.
 */
public final class ByteHashing {

    public static final long SEED = 0x165667B19E3779F9L;

    private static final VarHandle LONGS = MethodHandles.byteArrayViewVarHandle(long[].class, ByteOrder.LITTLE_ENDIAN);
    private static final long P1 = 0x9E3779B185EBCA87L;
    private static final long P2 = 0xC2B2AE3D27D4EB4FL;

    private ByteHashing() {
    }

    /** Mixes the range into the running state {@code h}. */
    public static long mix(long h, byte[] b, int offset, int length) {
        h = round(h, length);
        int i = offset;
        int end = offset + length;
        for (; i + 8 <= end; i += 8) {
            h = round(h, (long) LONGS.get(b, i));
        }
        return round(h, tail(b, i, end));
    }

    /** The last {@code end - i < 8} bytes as a little-endian word, read as one word where the array allows. */
    private static long tail(byte[] b, int i, int end) {
        int bits = (end - i) * 8;
        if (bits == 0) {
            return 0;
        }
        if (end >= 8) { // the word ending at end, its first bytes shifted out
            return (long) LONGS.get(b, end - 8) >>> (64 - bits);
        }
        if (i + 8 <= b.length) { // the word starting at i, its last bytes masked off
            return (long) LONGS.get(b, i) & (-1L >>> (64 - bits));
        }
        long tail = 0;
        for (int shift = 0; i < end; i++, shift += 8) {
            tail |= (b[i] & 0xFFL) << shift;
        }
        return tail;
    }

    /** Mixes one 64-bit word into the running state {@code h}. */
    public static long mixWord(long h, long word) {
        return round(h, word);
    }

    /** The 32-bit hash of a running state. */
    public static int finish(long h) {
        h ^= h >>> 33;
        h *= P2;
        h ^= h >>> 29;
        h *= SEED;
        h ^= h >>> 32;
        return (int) h;
    }

    /** The hash of one range. */
    public static int hash(byte[] b, int offset, int length) {
        return finish(mix(SEED, b, offset, length));
    }

    private static long round(long h, long word) {
        h ^= Long.rotateLeft(word * P2, 31) * P1;
        return Long.rotateLeft(h, 27) * P1 + SEED;
    }
}
