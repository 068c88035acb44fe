package dev.runnel.ingester.chunk;

/**
 * Bit strings in a {@code long[]}, most significant bit first: bit position {@code p} is bit
 * {@code 63 - p % 64} of word {@code p / 64}. Writers only OR bits into zeroed words, so a reader
 * may read a word the writer is still filling: the bits it asks for are already final.
 */
final class Bits {

    private Bits() {
    }

    /** ORs the low {@code n} bits (1..64) of {@code value} in at bit position {@code pos}; the words must be long enough. */
    static void write(long[] words, int pos, long value, int n) {
        int index = pos >>> 6;
        int free = 64 - (pos & 63);
        long bits = n == 64 ? value : value & ((1L << n) - 1);
        if (n <= free) {
            words[index] |= bits << (free - n);
        } else {
            int rest = n - free;
            words[index] |= bits >>> rest;
            words[index + 1] |= bits << (64 - rest);
        }
    }

    /** Reads {@code n} bits (1..64) at bit position {@code pos} as an unsigned number. */
    static long read(long[] words, int pos, int n) {
        int index = pos >>> 6;
        int offset = pos & 63;
        long top = words[index] << offset;
        if (offset + n <= 64) {
            return top >>> (64 - n);
        }
        return (top >>> (64 - n)) | (words[index + 1] >>> (128 - offset - n));
    }

    /** Words needed to hold {@code bits} bits. */
    static int words(int bits) {
        return (bits + 63) >>> 6;
    }
}
