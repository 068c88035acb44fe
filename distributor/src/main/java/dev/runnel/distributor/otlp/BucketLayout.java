package dev.runnel.distributor.otlp;

import dev.runnel.proto.prometheus.write.v2.BucketSpan;
import dev.runnel.proto.prometheus.write.v2.Histogram;
import java.util.function.IntToLongFunction;

/**
 * Dense bucket counts (OTLP: bucket {@code i} has index {@code offset + i}) as a native
 * histogram's sparse layout: spans of consecutive buckets and the deltas between their counts.
 *
 * <p>To lower the resolution by {@code scaleDown}, every {@code 2^scaleDown} neighbouring buckets
 * are merged: index {@code k} becomes {@code k >> scaleDown}. {@code shift} is then added to the
 * index: 1 for exponential histograms, since OTLP's bucket 0 is {@code (1, base]} where
 * Prometheus' is {@code (base^-1, 1]}; 0 for custom buckets. Empty buckets are left out; a gap of
 * up to two buckets is filled with zeros rather than starting a new span, as Prometheus' clients do.
 */
final class BucketLayout {

    /** Gaps longer than this start a new span; shorter ones are cheaper as zero deltas. */
    private static final int MAX_FILLED_GAP = 2;

    enum Side { POSITIVE, NEGATIVE }

    private final Histogram.Builder histogram;
    private final Side side;
    private long spanOffset;
    private int spanLength;
    private boolean open;
    private long lastIndex;
    private long lastCount;

    private BucketLayout(Histogram.Builder histogram, Side side) {
        this.histogram = histogram;
        this.side = side;
    }

    static void encode(Histogram.Builder histogram, Side side, int bucketCount, IntToLongFunction counts,
                       long offset, int scaleDown, int shift) throws RejectedPoint {
        BucketLayout layout = new BucketLayout(histogram, side);
        long index = 0;
        long count = 0;
        for (int i = 0; i < bucketCount; i++) {
            long next = ((offset + i) >> scaleDown) + shift;
            if (i > 0 && next != index) {
                layout.bucket(index, count);
                count = 0;
            }
            index = next;
            count += counts.applyAsLong(i);
        }
        if (bucketCount > 0) {
            layout.bucket(index, count);
        }
        layout.closeSpan();
    }

    private void bucket(long index, long count) throws RejectedPoint {
        if (count == 0) {
            return;
        }
        if (!open) {
            spanOffset = index;
            open = true;
        } else {
            long gap = index - lastIndex - 1;
            if (gap > MAX_FILLED_GAP) {
                closeSpan();
                spanOffset = gap;
                open = true;
            } else {
                for (long g = 0; g < gap; g++) {
                    delta(0);
                }
            }
        }
        delta(count);
        lastIndex = index;
    }

    private void delta(long count) {
        if (side == Side.POSITIVE) {
            histogram.addPositiveDeltas(count - lastCount);
        } else {
            histogram.addNegativeDeltas(count - lastCount);
        }
        lastCount = count;
        spanLength++;
    }

    private void closeSpan() throws RejectedPoint {
        if (!open) {
            return;
        }
        if (spanOffset < Integer.MIN_VALUE || spanOffset > Integer.MAX_VALUE) {
            throw new RejectedPoint("histogram bucket offset " + spanOffset + " is out of range");
        }
        BucketSpan span = BucketSpan.newBuilder().setOffset((int) spanOffset).setLength(spanLength).build();
        if (side == Side.POSITIVE) {
            histogram.addPositiveSpans(span);
        } else {
            histogram.addNegativeSpans(span);
        }
        open = false;
        spanLength = 0;
    }
}
