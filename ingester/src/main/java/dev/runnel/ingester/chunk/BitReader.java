package dev.runnel.ingester.chunk;

import java.util.Arrays;

/** Reads what a {@link BitWriter} wrote (codes in its class comment). Reading past the words throws. */
final class BitReader {

    private long[] words;
    private int pos;
    private byte[] leading = new byte[0];
    private byte[] trailing = new byte[0];

    void reset(long[] words) {
        this.words = words;
        this.pos = 0;
    }

    long read(int n) {
        long v = Bits.read(words, pos, n);
        pos += n;
        return v;
    }

    long readSigned(int n) {
        long raw = read(n);
        return n == 64 ? raw : (raw << (64 - n)) >> (64 - n);
    }

    long readVarbit() {
        int ones = 0;
        while (ones < BitWriter.VARBIT_WIDTHS.length - 1 && read(1) == 1) {
            ones++;
        }
        return ones == 0 ? 0 : readSigned(BitWriter.VARBIT_WIDTHS[ones]);
    }

    void xorSlots(int n) {
        if (leading.length < n) {
            leading = new byte[n];
            trailing = new byte[n];
        }
        Arrays.fill(leading, 0, n, (byte) -1);
    }

    long readXor(long previous, int slot) {
        if (read(1) == 0) {
            return previous;
        }
        if (read(1) == 1) {
            leading[slot] = (byte) read(6);
            int significant = (int) read(6);
            if (significant == 0) {
                significant = 64;
            }
            trailing[slot] = (byte) (64 - leading[slot] - significant);
        } else if (leading[slot] < 0) {
            throw new IllegalArgumentException("a value reuses a window before any was written");
        }
        int significant = 64 - leading[slot] - trailing[slot];
        return previous ^ (read(significant) << trailing[slot]);
    }
}
