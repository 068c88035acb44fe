package dev.runnel.ingester.chunk;

import dev.runnel.proto.prometheus.write.v2.BucketSpan;
import dev.runnel.proto.prometheus.write.v2.Histogram;
import java.util.List;

/**
 * What a {@link HistogramChunk} writes once, with its first sample: integer or float counts, the
 * schema, the zero threshold, the positive and negative bucket spans and the custom bucket bounds.
 * Every sample of a chunk has this layout (stale markers aside); a sample with another one starts
 * a new chunk.
 */
final class HistogramLayout {

    /** More buckets than any real histogram has; a record claiming more is malformed. */
    static final int MAX_BUCKETS = 1 << 16;

    final boolean floats;
    final int schema;
    final long zeroThresholdBits;
    /** Offset and length pairs. */
    final int[] positiveSpans;
    final int[] negativeSpans;
    final long[] customValueBits;
    final int positiveBuckets;
    final int negativeBuckets;

    private HistogramLayout(boolean floats, int schema, long zeroThresholdBits, int[] positiveSpans, int[] negativeSpans,
            long[] customValueBits) {
        this.floats = floats;
        this.schema = schema;
        this.zeroThresholdBits = zeroThresholdBits;
        this.positiveSpans = positiveSpans;
        this.negativeSpans = negativeSpans;
        this.customValueBits = customValueBits;
        this.positiveBuckets = buckets(positiveSpans);
        this.negativeBuckets = buckets(negativeSpans);
    }

    /**
     * The layout of {@code h}.
     *
     * @throws IllegalArgumentException if the histogram mixes integer and float counts, or its
     *                                  bucket counts do not match its spans
     */
    static HistogramLayout of(Histogram h) {
        boolean floats = isFloat(h);
        HistogramLayout layout = new HistogramLayout(floats, h.getSchema(), Double.doubleToRawLongBits(h.getZeroThreshold()),
                spans(h.getPositiveSpansList()), spans(h.getNegativeSpansList()), customValues(h));
        if (!HistogramChunk.isStale(h)) {
            layout.checkCounts(h);
        }
        return layout;
    }

    /** Throws if {@code h}'s counts are not of this layout's kind or do not match its spans. */
    void checkCounts(Histogram h) {
        if (floats) {
            if (h.getPositiveDeltasCount() + h.getNegativeDeltasCount() > 0 || h.getZeroCountCase() == Histogram.ZeroCountCase.ZERO_COUNT_INT) {
                throw new IllegalArgumentException("a histogram with a float count has integer bucket deltas or zero count");
            }
            check("positive", h.getPositiveCountsCount(), positiveBuckets);
            check("negative", h.getNegativeCountsCount(), negativeBuckets);
        } else {
            if (h.getPositiveCountsCount() + h.getNegativeCountsCount() > 0 || h.getZeroCountCase() == Histogram.ZeroCountCase.ZERO_COUNT_FLOAT) {
                throw new IllegalArgumentException("a histogram with an integer count has float bucket counts or zero count");
            }
            check("positive", h.getPositiveDeltasCount(), positiveBuckets);
            check("negative", h.getNegativeDeltasCount(), negativeBuckets);
        }
    }

    static boolean isFloat(Histogram h) {
        return h.getCountCase() == Histogram.CountCase.COUNT_FLOAT;
    }

    private static void check(String side, int counts, int buckets) {
        if (counts != buckets) {
            throw new IllegalArgumentException("a histogram has " + counts + " " + side + " bucket counts but its "
                    + side + " spans cover " + buckets + " buckets");
        }
    }

    private static int[] spans(List<BucketSpan> spans) {
        int[] pairs = new int[spans.size() * 2];
        long buckets = 0;
        for (int i = 0; i < spans.size(); i++) {
            pairs[2 * i] = spans.get(i).getOffset();
            pairs[2 * i + 1] = spans.get(i).getLength();
            buckets += Integer.toUnsignedLong(spans.get(i).getLength());
        }
        if (buckets > MAX_BUCKETS) {
            throw new IllegalArgumentException("a histogram's spans cover " + buckets + " buckets, more than the " + MAX_BUCKETS + " allowed");
        }
        return pairs;
    }

    private static long[] customValues(Histogram h) {
        if (h.getCustomValuesCount() > MAX_BUCKETS) {
            throw new IllegalArgumentException("a histogram has " + h.getCustomValuesCount() + " custom values, more than the "
                    + MAX_BUCKETS + " allowed");
        }
        long[] bits = new long[h.getCustomValuesCount()];
        for (int i = 0; i < bits.length; i++) {
            bits[i] = Double.doubleToRawLongBits(h.getCustomValues(i));
        }
        return bits;
    }

    private static int buckets(int[] spans) {
        int buckets = 0;
        for (int i = 1; i < spans.length; i += 2) {
            buckets += spans[i];
        }
        return buckets;
    }

    /** Whether {@code h} has this layout; does not validate {@code h} (appending it does). */
    boolean matches(Histogram h) {
        return floats == isFloat(h) && schema == h.getSchema()
                && zeroThresholdBits == Double.doubleToRawLongBits(h.getZeroThreshold())
                && sameSpans(positiveSpans, h.getPositiveSpansList()) && sameSpans(negativeSpans, h.getNegativeSpansList())
                && sameCustomValues(h);
    }

    private static boolean sameSpans(int[] pairs, List<BucketSpan> spans) {
        if (pairs.length != spans.size() * 2) {
            return false;
        }
        for (int i = 0; i < spans.size(); i++) {
            if (pairs[2 * i] != spans.get(i).getOffset() || pairs[2 * i + 1] != spans.get(i).getLength()) {
                return false;
            }
        }
        return true;
    }

    private boolean sameCustomValues(Histogram h) {
        if (customValueBits.length != h.getCustomValuesCount()) {
            return false;
        }
        for (int i = 0; i < customValueBits.length; i++) {
            if (customValueBits[i] != Double.doubleToRawLongBits(h.getCustomValues(i))) {
                return false;
            }
        }
        return true;
    }

    /** Bits {@link #write} takes at most. */
    int maxBits() {
        return 1 + BitWriter.MAX_FIELD_BITS * (4 + positiveSpans.length + negativeSpans.length) + 64 * (1 + customValueBits.length);
    }

    void write(BitWriter out) {
        out.write(floats ? 1 : 0, 1);
        out.writeVarbit(schema);
        out.write(zeroThresholdBits, 64);
        writeSpans(out, positiveSpans);
        writeSpans(out, negativeSpans);
        out.writeVarbit(customValueBits.length);
        for (long bits : customValueBits) {
            out.write(bits, 64);
        }
    }

    private static void writeSpans(BitWriter out, int[] pairs) {
        out.writeVarbit(pairs.length / 2);
        for (int v : pairs) {
            out.writeVarbit(v);
        }
    }

    static HistogramLayout read(BitReader in) {
        boolean floats = in.read(1) == 1;
        int schema = (int) in.readVarbit();
        long zeroThresholdBits = in.read(64);
        int[] positive = readSpans(in);
        int[] negative = readSpans(in);
        long[] custom = new long[count(in.readVarbit())];
        for (int i = 0; i < custom.length; i++) {
            custom[i] = in.read(64);
        }
        return new HistogramLayout(floats, schema, zeroThresholdBits, positive, negative, custom);
    }

    private static int[] readSpans(BitReader in) {
        int[] pairs = new int[2 * count(in.readVarbit())];
        for (int i = 0; i < pairs.length; i++) {
            pairs[i] = (int) in.readVarbit();
            if (i % 2 == 1 && (pairs[i] < 0 || pairs[i] > MAX_BUCKETS)) {
                throw new IllegalArgumentException("a histogram chunk's layout has a span of length " + pairs[i]);
            }
        }
        return pairs;
    }

    private static int count(long n) {
        if (n < 0 || n > MAX_BUCKETS) {
            throw new IllegalArgumentException("a histogram chunk's layout has a count of " + n);
        }
        return (int) n;
    }

    /** Sets the layout's fields on {@code h}. */
    void applyTo(Histogram.Builder h) {
        h.setSchema(schema).setZeroThreshold(Double.longBitsToDouble(zeroThresholdBits));
        for (int i = 0; i < positiveSpans.length; i += 2) {
            h.addPositiveSpans(BucketSpan.newBuilder().setOffset(positiveSpans[i]).setLength(positiveSpans[i + 1]));
        }
        for (int i = 0; i < negativeSpans.length; i += 2) {
            h.addNegativeSpans(BucketSpan.newBuilder().setOffset(negativeSpans[i]).setLength(negativeSpans[i + 1]));
        }
        for (long bits : customValueBits) {
            h.addCustomValues(Double.longBitsToDouble(bits));
        }
    }
}
