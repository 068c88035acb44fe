package dev.runnel.ingester.chunk;

import java.util.Arrays;

/**
 * Float samples compressed as in Facebook's Gorilla paper (Pelkonen et al., VLDB 2015), the scheme
 * Prometheus' XOR chunks use, appended in place to a bit string in a {@code long[]} ({@link Bits}).
 *
 * <pre>
 * sample 0:  timestamp (64 bits, two's complement) | value (64 bits, the double's raw bits)
 * sample i:  delta-of-delta of the timestamp        | value XOR previous value
 *
 * delta-of-delta d (delta before sample 1 counts as 0):
 *   0                   d == 0
 *   10   + 14 bits      -2^13 <= d < 2^13          (two's complement)
 *   110  + 17 bits      -2^16 <= d < 2^16
 *   1110 + 20 bits      -2^19 <= d < 2^19
 *   1111 + 64 bits      anything else
 * value XOR x:
 *   0                                             x == 0 (same bits as before)
 *   10 + the meaningful bits                      x fits the previous window of leading/trailing zeros
 *   11 + leading zeros (6 bits) + meaningful bit count (6 bits, 64 written as 0) + the meaningful bits
 * </pre>
 *
 * Values round-trip bit for bit (NaN payloads, the stale marker, -0.0). Unlike Prometheus' chunk
 * format, which stores the first timestamp and delta as varints in a byte stream, this one is
 * written out only by head snapshots, as the bit string itself ({@link #writeBits},
 * {@link #fromBits}; ingester/SNAPSHOT.md).
 *
 * <p>One thread appends; readers see the samples counted by the volatile {@code count}, whose
 * bits were written before the count and are never changed after.
 */
public final class XorChunk implements Chunk {

    /** The longest sample: a 4 + 64 bit timestamp and a 2 + 12 + 64 bit value. */
    private static final int MAX_SAMPLE_BITS = 146;

    /** The most bytes {@link #writeBits} writes: a full chunk of the longest samples. */
    public static final int MAX_BIT_BYTES = (MAX_SAMPLES * MAX_SAMPLE_BITS + 7) >>> 3;

    private volatile long[] words = new long[4];
    private volatile int count;
    private long minTime;
    private long maxTime;
    // Appender state.
    private int bitPos;
    private long delta;
    private long valueBits;
    private int leading = -1;
    private int trailing;

    @Override
    public int numSamples() {
        return count;
    }

    @Override
    public long minTime() {
        return minTime;
    }

    @Override
    public long maxTime() {
        return maxTime;
    }

    @Override
    public int sizeBytes() {
        return words.length * Long.BYTES;
    }

    public boolean isFull() {
        return count >= MAX_SAMPLES;
    }

    /**
     * Appends a sample later than the last one (the caller checks the order). Returns false, and
     * appends nothing, once the chunk holds {@link Chunk#MAX_SAMPLES}.
     */
    public boolean append(long t, double v) {
        int n = count;
        if (n >= MAX_SAMPLES) {
            return false;
        }
        long[] w = ensureCapacity();
        long bits = Double.doubleToRawLongBits(v);
        if (n == 0) {
            Bits.write(w, 0, t, 64);
            Bits.write(w, 64, bits, 64);
            bitPos = 128;
            minTime = t;
        } else {
            long d = t - maxTime;
            writeDeltaOfDelta(w, d - delta);
            delta = d;
            writeXor(w, bits ^ valueBits);
        }
        maxTime = t;
        valueBits = bits;
        count = n + 1;
        return true;
    }

    /** The word the next sample's bits go to; touching it loads it into the cache before an append. */
    public long currentWord() {
        long[] w = words;
        int index = bitPos >>> 6;
        return index < w.length ? w[index] : 0;
    }

    /** Trims the bit string once no more samples will come. */
    public void close() {
        long[] w = words;
        int used = Bits.words(bitPos);
        if (used < w.length) {
            words = Arrays.copyOf(w, used);
        }
    }

    private long[] ensureCapacity() {
        long[] w = words;
        int needed = Bits.words(bitPos + MAX_SAMPLE_BITS);
        if (needed > w.length) {
            w = Arrays.copyOf(w, Math.max(needed, w.length + (w.length >> 1)));
            words = w;
        }
        return w;
    }

    private void writeDeltaOfDelta(long[] w, long dod) {
        if (dod == 0) {
            bitPos += 1;
        } else if (fits(dod, 14)) {
            Bits.write(w, bitPos, 0b10, 2);
            Bits.write(w, bitPos + 2, dod, 14);
            bitPos += 16;
        } else if (fits(dod, 17)) {
            Bits.write(w, bitPos, 0b110, 3);
            Bits.write(w, bitPos + 3, dod, 17);
            bitPos += 20;
        } else if (fits(dod, 20)) {
            Bits.write(w, bitPos, 0b1110, 4);
            Bits.write(w, bitPos + 4, dod, 20);
            bitPos += 24;
        } else {
            Bits.write(w, bitPos, 0b1111, 4);
            Bits.write(w, bitPos + 4, dod, 64);
            bitPos += 68;
        }
    }

    private static boolean fits(long v, int bits) {
        long half = 1L << (bits - 1);
        return v >= -half && v < half;
    }

    private void writeXor(long[] w, long xor) {
        if (xor == 0) {
            bitPos += 1;
            return;
        }
        int lead = Long.numberOfLeadingZeros(xor);
        int trail = Long.numberOfTrailingZeros(xor);
        if (leading >= 0 && lead >= leading && trail >= trailing) {
            int significant = 64 - leading - trailing;
            Bits.write(w, bitPos, 0b10, 2);
            Bits.write(w, bitPos + 2, xor >>> trailing, significant);
            bitPos += 2 + significant;
        } else {
            int significant = 64 - lead - trail;
            Bits.write(w, bitPos, 0b11, 2);
            Bits.write(w, bitPos + 2, lead, 6);
            Bits.write(w, bitPos + 8, significant & 63, 6);
            Bits.write(w, bitPos + 14, xor >>> trail, significant);
            bitPos += 14 + significant;
            leading = lead;
            trailing = trail;
        }
    }

    @Override
    public XorIterator iterator() {
        XorIterator it = new XorIterator();
        it.reset(this);
        return it;
    }

    /**
     * How much of the chunk there is now, sample count and bit length in one long, so that
     * {@link #writeBits} can write exactly these samples later, on another thread, while appends
     * go on. Call on the appender thread (or once the chunk is no longer appended to).
     */
    public long extent() {
        return ((long) count << 32) | bitPos;
    }

    /** The samples counted in {@code extent}. */
    public static int samples(long extent) {
        return (int) (extent >>> 32);
    }

    /** The bit length in {@code extent}. */
    public static int bitLength(long extent) {
        return (int) extent;
    }

    /** Bytes {@link #writeBits} writes for {@code extent}. */
    public static int bitBytes(long extent) {
        return (bitLength(extent) + 7) >>> 3;
    }

    /**
     * Writes the bit string of the samples counted in {@code extent} (from {@link #extent()}) to
     * {@code dst} at {@code offset}, most significant bit first, the bits after its end zero. Safe
     * while the appender goes on: those bits are final (see {@link Bits}), and a grown or trimmed
     * word array is a copy that holds them too.
     */
    public void writeBits(long extent, byte[] dst, int offset) {
        long[] w = words;
        int bits = bitLength(extent);
        int n = (bits + 7) >>> 3;
        for (int i = 0; i < n; i++) {
            dst[offset + i] = (byte) (w[i >>> 3] >>> (56 - ((i & 7) << 3)));
        }
        int spare = (n << 3) - bits;
        if (spare > 0) {
            dst[offset + n - 1] &= (byte) (0xFF << spare);
        }
    }

    /**
     * The chunk of {@code count} samples whose bit string ({@link #writeBits}) is the
     * {@code (bitLength + 7) / 8} bytes of {@code src} at {@code offset}, closed but appendable:
     * its samples are decoded and appended again, which restores the appender's state and checks
     * the bits (the same samples always encode to the same bits).
     *
     * @throws IllegalArgumentException if the bits do not hold {@code count} samples in timestamp order in exactly {@code bitLength} bits
     */
    public static XorChunk fromBits(int count, int bitLength, byte[] src, int offset) {
        if (count < 1 || count > MAX_SAMPLES || bitLength < 128 || bitLength > MAX_SAMPLES * MAX_SAMPLE_BITS) {
            throw new IllegalArgumentException("an XOR chunk of " + count + " samples in " + bitLength + " bits is impossible");
        }
        // Spare zero words: decoding corrupt bits reads zeros past the end instead of failing on the array bounds.
        long[] w = new long[Bits.words(bitLength) + Bits.words(MAX_SAMPLE_BITS)];
        for (int i = 0, n = (bitLength + 7) >>> 3; i < n; i++) {
            w[i >>> 3] |= (src[offset + i] & 0xFFL) << (56 - ((i & 7) << 3));
        }
        XorChunk encoded = new XorChunk();
        encoded.words = w;
        encoded.count = count;
        XorChunk chunk = new XorChunk();
        XorIterator it = encoded.iterator();
        while (it.next() != ValueType.NONE) {
            if (chunk.count > 0 && it.timestamp() <= chunk.maxTime) {
                throw new IllegalArgumentException("XOR chunk bits have timestamp " + it.timestamp() + " after " + chunk.maxTime);
            }
            chunk.append(it.timestamp(), it.value());
        }
        if (chunk.bitPos != bitLength) {
            throw new IllegalArgumentException("XOR chunk bits hold " + count + " samples in " + chunk.bitPos + " bits, not " + bitLength);
        }
        chunk.close();
        return chunk;
    }

    long[] words() {
        return words;
    }

    /** Reads the count before the words, so the words read hold at least that many samples. */
    int publishedCount() {
        return count;
    }
}
