package dev.runnel.ingester.chunk;

import dev.runnel.proto.prometheus.write.v2.Histogram;
import dev.runnel.proto.prometheus.write.v2.Histogram.ResetHint;
import java.util.Arrays;

/**
 * Decodes a {@link HistogramChunk} (format in its class comment). Building each sample's
 * {@link Histogram} message allocates; the decoding state does not.
 */
final class HistogramIterator implements SampleIterator {

    private final BitReader in = new BitReader();
    private int count;
    private int index;
    private int header;
    private HistogramLayout layout;
    private long t;
    private long delta;
    private long[] values = new long[0];
    private long[] deltas = new long[0];
    private boolean countsStarted;
    private boolean stale;
    private long staleCount;

    void reset(HistogramChunk chunk) {
        int n = chunk.publishedCount();
        reset(chunk.words(), n);
    }

    void reset(long[] words, int n) {
        in.reset(words);
        count = n;
        index = 0;
        delta = 0;
        countsStarted = false;
    }

    /** The chunk's counter-reset header; valid once the first sample was read. */
    int header() {
        return header;
    }

    @Override
    public ValueType next() {
        if (index >= count) {
            return ValueType.NONE;
        }
        if (index == 0) {
            header = (int) in.read(2);
            layout = HistogramLayout.read(in);
            int slots = 3 + layout.positiveBuckets + layout.negativeBuckets;
            if (values.length < slots) {
                values = new long[slots];
                deltas = new long[slots];
            }
            Arrays.fill(values, 0, slots, 0);
            Arrays.fill(deltas, 0, slots, 0);
            in.xorSlots(slots);
            t = in.read(64);
        } else {
            delta += in.readVarbit();
            t += delta;
        }
        readBody();
        index++;
        return ValueType.HISTOGRAM;
    }

    private void readBody() {
        values[0] = in.readXor(values[0], 0);
        stale = values[0] == HistogramChunk.STALE_NAN_BITS;
        if (stale) {
            staleCount = in.read(64);
            return;
        }
        int slots = 3 + layout.positiveBuckets + layout.negativeBuckets;
        for (int i = 1; i < slots; i++) {
            if (layout.floats) {
                values[i] = in.readXor(values[i], i);
            } else {
                long d = deltas[i] + in.readVarbit();
                values[i] += d;
                deltas[i] = countsStarted ? d : 0;
            }
        }
        countsStarted = true;
    }

    @Override
    public long timestamp() {
        return t;
    }

    @Override
    public double value() {
        throw new IllegalStateException("the current sample is a histogram, not a float sample");
    }

    @Override
    public Histogram histogram() {
        Histogram.Builder h = Histogram.newBuilder().setTimestamp(t).setSum(Double.longBitsToDouble(values[0]));
        int hint = index == 1 ? header
                : header == ResetHint.RESET_HINT_GAUGE_VALUE ? ResetHint.RESET_HINT_GAUGE_VALUE : ResetHint.RESET_HINT_NO_VALUE;
        h.setResetHintValue(hint);
        if (stale) {
            return (layout.floats ? h.setCountFloat(Double.longBitsToDouble(staleCount)) : h.setCountInt(staleCount)).build();
        }
        layout.applyTo(h);
        int buckets = 3 + layout.positiveBuckets;
        if (layout.floats) {
            h.setCountFloat(Double.longBitsToDouble(values[1]));
            if (values[2] != 0) {
                h.setZeroCountFloat(Double.longBitsToDouble(values[2]));
            }
            for (int i = 3; i < buckets; i++) {
                h.addPositiveCounts(Double.longBitsToDouble(values[i]));
            }
            for (int i = buckets; i < buckets + layout.negativeBuckets; i++) {
                h.addNegativeCounts(Double.longBitsToDouble(values[i]));
            }
        } else {
            h.setCountInt(values[1]);
            if (values[2] != 0) {
                h.setZeroCountInt(values[2]);
            }
            for (int i = 3; i < buckets; i++) {
                h.addPositiveDeltas(values[i] - (i == 3 ? 0 : values[i - 1]));
            }
            for (int i = buckets; i < buckets + layout.negativeBuckets; i++) {
                h.addNegativeDeltas(values[i] - (i == buckets ? 0 : values[i - 1]));
            }
        }
        return h.build();
    }
}
