package dev.runnel.ingester.chunk;

import java.util.Arrays;

/**
 * Appends bit fields to a growing {@code long[]} in {@link Bits}' layout, with the two variable
 * length codes of {@link HistogramChunk}: {@link #writeVarbit} for integers that are usually
 * small, {@link #writeXor} for float bits that usually share their leading and trailing bits with
 * the previous value of the same slot. {@link BitReader} reads them back.
 *
 * <pre>
 * varbit v:
 *   0                 v == 0
 *   10      +  5 bits -2^4  <= v < 2^4   (two's complement)
 *   110     +  9 bits -2^8  <= v < 2^8
 *   1110    + 14 bits -2^13 <= v < 2^13
 *   11110   + 20 bits -2^19 <= v < 2^19
 *   111110  + 32 bits -2^31 <= v < 2^31
 *   111111  + 64 bits anything else
 * xor x (per slot, as in Gorilla):
 *   0                                          x == 0
 *   10 + meaningful bits                       x fits the slot's previous leading/trailing window
 *   11 + leading zeros (6) + meaningful bit count (6, 64 as 0) + meaningful bits
 * </pre>
 *
 * Growing replaces the array (a copy); {@link #words()} is the current one.
 */
final class BitWriter {

    static final int[] VARBIT_WIDTHS = {0, 5, 9, 14, 20, 32, 64};

    private long[] words = new long[4];
    private int pos;
    /** Per xor slot: leading zeros of the current window (-1: no window yet) and trailing zeros. */
    private byte[] leading = new byte[0];
    private byte[] trailing = new byte[0];

    long[] words() {
        return words;
    }

    int bitLength() {
        return pos;
    }

    /** Makes room for {@code bits} more bits (a sample's worst case), so the writes after it never grow the array. */
    void ensure(int bits) {
        int needed = Bits.words(pos + bits);
        if (needed > words.length) {
            words = Arrays.copyOf(words, Math.max(needed, words.length + (words.length >> 1)));
        }
    }

    void write(long value, int n) {
        Bits.write(words, pos, value, n);
        pos += n;
    }

    void writeVarbit(long v) {
        if (v == 0) {
            pos += 1;
            return;
        }
        for (int i = 1; i < VARBIT_WIDTHS.length - 1; i++) {
            int width = VARBIT_WIDTHS[i];
            long half = 1L << (width - 1);
            if (v >= -half && v < half) {
                write(((1L << i) - 1) << 1, i + 1);
                write(v, width);
                return;
            }
        }
        write(0b111111, 6);
        write(v, 64);
    }

    /** Slots {@code [0, n)} become usable for {@link #writeXor}, all without a window. */
    void xorSlots(int n) {
        leading = new byte[n];
        trailing = new byte[n];
        Arrays.fill(leading, (byte) -1);
    }

    void writeXor(long xor, int slot) {
        if (xor == 0) {
            pos += 1;
            return;
        }
        int lead = Long.numberOfLeadingZeros(xor);
        int trail = Long.numberOfTrailingZeros(xor);
        if (leading[slot] >= 0 && lead >= leading[slot] && trail >= trailing[slot]) {
            int significant = 64 - leading[slot] - trailing[slot];
            write(0b10, 2);
            write(xor >>> trailing[slot], significant);
        } else {
            int significant = 64 - lead - trail;
            write(0b11, 2);
            write(lead, 6);
            write(significant & 63, 6);
            write(xor >>> trail, significant);
            leading[slot] = (byte) lead;
            trailing[slot] = (byte) trail;
        }
    }

    /** The most bits one {@link #writeVarbit} or {@link #writeXor} takes. */
    static final int MAX_FIELD_BITS = 78;
}
