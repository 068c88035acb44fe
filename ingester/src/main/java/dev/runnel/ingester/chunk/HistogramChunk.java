package dev.runnel.ingester.chunk;

import dev.runnel.proto.prometheus.write.v2.Histogram;
import java.util.Arrays;

/**
 * Native histogram samples, for now kept as the decoded remote-write messages beside their
 * timestamps: a seam, not a compressed encoding. Prometheus' histogram chunk (XOR-style bucket
 * deltas) can replace it behind {@link Chunk} without changing the head.
 */
public final class HistogramChunk implements Chunk {

    private volatile long[] timestamps = new long[8];
    private volatile Histogram[] histograms = new Histogram[8];
    private volatile int count;

    @Override
    public int numSamples() {
        return count;
    }

    @Override
    public long minTime() {
        return timestamps[0];
    }

    @Override
    public long maxTime() {
        int n = count;
        return n == 0 ? Long.MIN_VALUE : timestamps[n - 1];
    }

    @Override
    public int sizeBytes() {
        int bytes = timestamps.length * (Long.BYTES + Integer.BYTES);
        for (int i = 0, n = count; i < n; i++) {
            bytes += histograms[i].getSerializedSize();
        }
        return bytes;
    }

    /** Appends a histogram later than the last sample; false, and nothing appended, once full. */
    public boolean append(long t, Histogram h) {
        int n = count;
        if (n >= MAX_SAMPLES) {
            return false;
        }
        if (n == timestamps.length) {
            // Arrays before the count: a reader that sees the new count sees arrays that hold it.
            histograms = Arrays.copyOf(histograms, n * 2);
            timestamps = Arrays.copyOf(timestamps, n * 2);
        }
        timestamps[n] = t;
        histograms[n] = h;
        count = n + 1;
        return true;
    }

    @Override
    public SampleIterator iterator() {
        int n = count;
        long[] ts = timestamps;
        Histogram[] hs = histograms;
        return new SampleIterator() {
            private int index = -1;

            @Override
            public ValueType next() {
                if (index + 1 >= n) {
                    index = n;
                    return ValueType.NONE;
                }
                index++;
                return ValueType.HISTOGRAM;
            }

            @Override
            public long timestamp() {
                return ts[index];
            }

            @Override
            public double value() {
                throw new IllegalStateException("the current sample is a histogram, not a float sample");
            }

            @Override
            public Histogram histogram() {
                return hs[index];
            }
        };
    }
}
