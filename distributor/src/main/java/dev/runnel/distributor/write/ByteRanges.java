package dev.runnel.distributor.write;

import java.lang.invoke.MethodHandles;
import java.lang.invoke.VarHandle;
import java.nio.ByteOrder;

/**
 * Equality of byte ranges for short strings such as label names and values: eight bytes at a
 * time, and the last few bytes as one word where the arrays allow, instead of byte by byte.
 * {@code Arrays.equals} over ranges costs a call and range checks that dominate at these lengths.
 */
public final class ByteRanges {

    private static final VarHandle LONGS = MethodHandles.byteArrayViewVarHandle(long[].class, ByteOrder.LITTLE_ENDIAN);

    private ByteRanges() {
    }

    /** Whether {@code a[aOffset, aOffset + length)} and {@code b[bOffset, bOffset + length)} hold the same bytes. */
    public static boolean equal(byte[] a, int aOffset, byte[] b, int bOffset, int length) {
        int i = 0;
        for (; i + 8 <= length; i += 8) {
            if ((long) LONGS.get(a, aOffset + i) != (long) LONGS.get(b, bOffset + i)) {
                return false;
            }
        }
        int rest = length - i;
        if (rest == 0) {
            return true;
        }
        int aEnd = aOffset + length;
        int bEnd = bOffset + length;
        if (aEnd >= 8 && bEnd >= 8) { // the words ending at the ends, bytes before the rest shifted out
            long diff = (long) LONGS.get(a, aEnd - 8) ^ (long) LONGS.get(b, bEnd - 8);
            return diff >>> (64 - rest * 8) == 0;
        }
        int aStart = aOffset + i;
        int bStart = bOffset + i;
        if (aStart + 8 <= a.length && bStart + 8 <= b.length) { // the words starting at the rest, later bytes masked off
            long diff = (long) LONGS.get(a, aStart) ^ (long) LONGS.get(b, bStart);
            return (diff & (-1L >>> (64 - rest * 8))) == 0;
        }
        for (; i < length; i++) {
            if (a[aOffset + i] != b[bOffset + i]) {
                return false;
            }
        }
        return true;
    }
}
