package dev.runnel.ingester.chunk;

import dev.runnel.proto.prometheus.write.v2.Histogram;
import dev.runnel.proto.prometheus.write.v2.Histogram.ResetHint;
import java.util.Arrays;

/**
 * Native histogram samples compressed in the spirit of Prometheus' histogram chunk
 * (tsdb/chunkenc/histogram.go), in a bit string appended in place ({@link BitWriter} has the
 * varbit and xor codes).
 *
 * <pre>
 * first sample: counter-reset header (2 bits: the ResetHint number)
 *               | layout ({@link HistogramLayout}: float flag, schema, zero threshold, spans, custom values)
 *               | timestamp (64 bits)                            | sample body
 * sample i:     delta-of-delta of the timestamp (varbit; the delta before sample 1 counts as 0)
 *               | sample body
 * sample body:  sum (xor) | stale marker sum?  count (64 raw bits), nothing else
 *                         | otherwise        count, zero count, each positive then negative bucket's count:
 *                                              integer counts: delta-of-delta over time (varbit) of the
 *                                                              absolute counts (the first non-stale
 *                                                              sample's delta counts as 0 after it)
 *                                              float counts:   xor with the previous value
 * </pre>
 *
 * Every xor'd field has its own leading/trailing-zeros window. The layout is written once: a
 * sample with another layout, integer instead of float counts or the other way round, another
 * kind (gauge or counter), a counter reset (a count going down, or the hint saying so) or the
 * 121st sample does not fit, and {@link #successor} starts the next chunk. Stale markers (sum is
 * Prometheus' stale NaN) fit any chunk. The header is the first sample's hint, or what the head
 * saw when cutting ({@link #successor}); an iterator reports it for the first sample and, as
 * Prometheus does, {@code GAUGE} or {@code NO} for the others. A zero count of 0 reads back
 * unset; a stale marker reads back as its timestamp, sum and count only.
 *
 * <p>A chunk is rebuilt from {@link #toBytes()} by {@link #fromBytes}. One thread appends;
 * readers see the samples counted by the volatile count, whose bits were written first.
 */
public final class HistogramChunk implements Chunk {

    /** Prometheus' stale marker, a NaN with this payload. */
    static final long STALE_NAN_BITS = 0x7ff0000000000002L;

    private volatile long[] words = new long[0];
    private volatile int count;
    private volatile HistogramLayout layout;
    private int header;
    private long minTime;
    private long maxTime;
    // Appender state; dropped by close().
    private BitWriter out = new BitWriter();
    private long delta;
    /** Sum bits, then count, zero count and the buckets: integers, or float bits. */
    private long[] values;
    private long[] deltas;
    private boolean countsStarted;
    private long[] scratch;

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
        return count == 0 ? Long.MIN_VALUE : maxTime;
    }

    @Override
    public int sizeBytes() {
        return words.length * Long.BYTES;
    }

    static boolean isStale(Histogram h) {
        return Double.doubleToRawLongBits(h.getSum()) == STALE_NAN_BITS;
    }

    /**
     * Throws {@link IllegalArgumentException}, saying what is wrong, if {@code h} cannot be
     * appended to any chunk: integer and float counts mixed, or bucket counts that do not
     * match the spans.
     */
    public static void check(Histogram h) {
        HistogramLayout.of(h);
    }

    /**
     * Appends a histogram later than the last sample (the caller checks the order). Returns
     * false, and appends nothing, if it does not fit this chunk (see the class comment); then
     * {@link #successor} makes the next chunk.
     *
     * @throws IllegalArgumentException if {@code h} is malformed ({@link #check})
     */
    public boolean append(long t, Histogram h) {
        return append(t, h, hintNumber(h));
    }

    private boolean append(long t, Histogram h, int firstHeader) {
        int n = count;
        if (n == 0) {
            start(HistogramLayout.of(h), firstHeader, t);
        } else if (n >= MAX_SAMPLES || !fits(h)) {
            return false;
        } else {
            out.ensure(sampleBits(layout));
            long dod = (t - maxTime) - delta;
            delta = t - maxTime;
            out.writeVarbit(dod);
        }
        writeBody(h);
        maxTime = t;
        words = out.words();
        count = n + 1;
        return true;
    }

    /**
     * A new chunk holding {@code h}, the sample after this chunk's last: its header says
     * {@code YES} if {@code h} says so or its counts went down from this chunk's, else {@code NO}
     * after a counter chunk, else {@code h}'s own hint.
     */
    public HistogramChunk successor(long t, Histogram h) {
        int hint = hintNumber(h);
        int nextHeader = hint;
        if (hint != ResetHint.RESET_HINT_GAUGE_VALUE && header != ResetHint.RESET_HINT_GAUGE_VALUE && count > 0 && !isStale(h)) {
            nextHeader = hint == ResetHint.RESET_HINT_YES_VALUE || countWentDown(h) ? ResetHint.RESET_HINT_YES_VALUE : ResetHint.RESET_HINT_NO_VALUE;
        }
        HistogramChunk next = new HistogramChunk();
        next.append(t, h, nextHeader);
        return next;
    }

    /** Trims the bit string and drops the appender's state once no more samples will come. */
    public void close() {
        if (out != null) {
            int used = Bits.words(out.bitLength());
            long[] w = out.words();
            words = used < w.length ? Arrays.copyOf(w, used) : w;
            out = null;
            values = null;
            deltas = null;
            scratch = null;
        }
    }

    private void start(HistogramLayout l, int hint, long t) {
        int slots = 3 + l.positiveBuckets + l.negativeBuckets;
        values = new long[slots];
        deltas = new long[slots];
        scratch = new long[slots];
        out.xorSlots(slots);
        out.ensure(2 + l.maxBits() + sampleBits(l));
        out.write(hint, 2);
        l.write(out);
        out.write(t, 64);
        header = hint;
        minTime = t;
        layout = l;
    }

    private static int sampleBits(HistogramLayout l) {
        return BitWriter.MAX_FIELD_BITS * (4 + l.positiveBuckets + l.negativeBuckets);
    }

    private boolean fits(Histogram h) {
        if (isStale(h)) {
            return true;
        }
        int hint = hintNumber(h);
        boolean gauge = header == ResetHint.RESET_HINT_GAUGE_VALUE;
        if (gauge != (hint == ResetHint.RESET_HINT_GAUGE_VALUE) || hint == ResetHint.RESET_HINT_YES_VALUE || !layout.matches(h)) {
            return false;
        }
        layout.checkCounts(h);
        return gauge || !countWentDown(h) && !bucketWentDown(h);
    }

    private boolean countWentDown(Histogram h) {
        if (!countsStarted || values == null || HistogramLayout.isFloat(h) != layout.floats) {
            return false;
        }
        if (layout.floats) {
            return h.getCountFloat() < Double.longBitsToDouble(values[1]) || h.getZeroCountFloat() < Double.longBitsToDouble(values[2]);
        }
        return Long.compareUnsigned(h.getCountInt(), values[1]) < 0 || Long.compareUnsigned(h.getZeroCountInt(), values[2]) < 0;
    }

    private boolean bucketWentDown(Histogram h) {
        if (!countsStarted) {
            return false;
        }
        int n = bucketsOf(h, scratch);
        for (int i = 0; i < n; i++) {
            boolean down = layout.floats
                    ? Double.longBitsToDouble(scratch[3 + i]) < Double.longBitsToDouble(values[3 + i])
                    : Long.compareUnsigned(scratch[3 + i], values[3 + i]) < 0;
            if (down) {
                return true;
            }
        }
        return false;
    }

    /** Writes {@code h}'s buckets into {@code into[3..]}: absolute integer counts or float bits; returns how many. */
    private int bucketsOf(Histogram h, long[] into) {
        int at = 3;
        if (layout.floats) {
            for (int i = 0; i < h.getPositiveCountsCount(); i++) {
                into[at++] = Double.doubleToRawLongBits(h.getPositiveCounts(i));
            }
            for (int i = 0; i < h.getNegativeCountsCount(); i++) {
                into[at++] = Double.doubleToRawLongBits(h.getNegativeCounts(i));
            }
        } else {
            long c = 0;
            for (int i = 0; i < h.getPositiveDeltasCount(); i++) {
                c += h.getPositiveDeltas(i);
                into[at++] = c;
            }
            c = 0;
            for (int i = 0; i < h.getNegativeDeltasCount(); i++) {
                c += h.getNegativeDeltas(i);
                into[at++] = c;
            }
        }
        return at - 3;
    }

    private void writeBody(Histogram h) {
        long sum = Double.doubleToRawLongBits(h.getSum());
        out.writeXor(sum ^ values[0], 0);
        values[0] = sum;
        if (sum == STALE_NAN_BITS) {
            out.write(layout.floats ? Double.doubleToRawLongBits(h.getCountFloat()) : h.getCountInt(), 64);
            return;
        }
        long[] next = scratch;
        if (layout.floats) {
            next[1] = Double.doubleToRawLongBits(h.getCountFloat());
            next[2] = Double.doubleToRawLongBits(h.getZeroCountFloat());
        } else {
            next[1] = h.getCountInt();
            next[2] = h.getZeroCountInt();
        }
        int slots = 3 + bucketsOf(h, next);
        for (int i = 1; i < slots; i++) {
            if (layout.floats) {
                out.writeXor(next[i] ^ values[i], i);
            } else {
                long d = next[i] - values[i];
                out.writeVarbit(d - deltas[i]);
                deltas[i] = countsStarted ? d : 0;
            }
            values[i] = next[i];
        }
        countsStarted = true;
    }

    private static int hintNumber(Histogram h) {
        int hint = h.getResetHintValue();
        return hint >= 0 && hint <= ResetHint.RESET_HINT_GAUGE_VALUE ? hint : ResetHint.RESET_HINT_UNSPECIFIED_VALUE;
    }

    @Override
    public SampleIterator iterator() {
        HistogramIterator it = new HistogramIterator();
        it.reset(this);
        return it;
    }

    /** Reads the count before the words, so the words read hold at least that many samples. */
    int publishedCount() {
        return count;
    }

    long[] words() {
        return words;
    }

    /** The chunk as bytes: the sample count (2 bytes, big-endian), then the bit string, zero padded. */
    public byte[] toBytes() {
        int n = count;
        long[] w = words;
        int bits = out != null ? out.bitLength() : w.length * 64;
        byte[] bytes = new byte[2 + (bits + 7) / 8];
        bytes[0] = (byte) (n >>> 8);
        bytes[1] = (byte) n;
        for (int i = 2; i < bytes.length; i++) {
            int bit = (i - 2) * 8;
            bytes[i] = (byte) (w[bit >>> 6] >>> (56 - (bit & 63)));
        }
        return bytes;
    }

    /**
     * The chunk {@link #toBytes()} made, ready for more samples.
     *
     * @throws IllegalArgumentException if the bytes are not such a chunk
     */
    public static HistogramChunk fromBytes(byte[] bytes, int offset, int length) {
        if (length < 2) {
            throw new IllegalArgumentException("a histogram chunk needs at least 2 bytes, got " + length);
        }
        int n = (bytes[offset] & 0xff) << 8 | bytes[offset + 1] & 0xff;
        if (n == 0 || n > MAX_SAMPLES) {
            throw new IllegalArgumentException("a histogram chunk holds 1 to " + MAX_SAMPLES + " samples, not " + n);
        }
        long[] w = new long[(length - 2 + 7) / 8 + 1];
        for (int i = 0; i < length - 2; i++) {
            w[i >>> 3] |= (bytes[offset + 2 + i] & 0xffL) << (56 - 8 * (i & 7));
        }
        HistogramIterator it = new HistogramIterator();
        it.reset(w, n);
        HistogramChunk chunk = new HistogramChunk();
        try {
            while (it.next() != ValueType.NONE) {
                if (chunk.count > 0 && it.timestamp() <= chunk.maxTime) {
                    throw new IllegalArgumentException("timestamps must increase: " + it.timestamp() + " after " + chunk.maxTime);
                }
                if (!(chunk.count == 0 ? chunk.append(it.timestamp(), it.histogram(), it.header()) : chunk.append(it.timestamp(), it.histogram()))) {
                    throw new IllegalArgumentException("sample " + chunk.count + " does not fit the chunk's layout");
                }
            }
        } catch (ArrayIndexOutOfBoundsException | NegativeArraySizeException e) {
            throw new IllegalArgumentException("the bytes end inside sample " + (chunk.count + 1) + " of " + n);
        }
        return chunk;
    }
}
