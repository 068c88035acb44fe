package dev.runnel.ingester.chunk;

import dev.runnel.proto.prometheus.write.v2.Histogram;
import java.util.Arrays;

/**
 * Float samples that came out of order, kept sorted in plain arrays. Immutable: an insert makes
 * a new chunk, so readers never see a half-shifted array. Out-of-order samples are rare and a
 * chunk holds at most {@link #CAPACITY}, after which the head re-encodes it as an
 * {@link XorChunk} ({@link #toXorChunk()}).
 */
public final class OutOfOrderChunk implements Chunk {

    /** Samples an out-of-order chunk holds before it is re-encoded, as Prometheus' default out_of_order_cap_max. */
    public static final int CAPACITY = 32;

    public static final OutOfOrderChunk EMPTY = new OutOfOrderChunk(new long[0], new double[0]);

    private final long[] timestamps;
    private final double[] values;

    private OutOfOrderChunk(long[] timestamps, double[] values) {
        this.timestamps = timestamps;
        this.values = values;
    }

    /**
     * The chunk of these samples (the arrays become the chunk's).
     *
     * @throws IllegalArgumentException unless the arrays have the same length, at most {@link #CAPACITY}, and the timestamps increase
     */
    public static OutOfOrderChunk of(long[] timestamps, double[] values) {
        if (timestamps.length != values.length || timestamps.length > CAPACITY) {
            throw new IllegalArgumentException("an out-of-order chunk holds up to " + CAPACITY + " samples, one value per timestamp: "
                    + timestamps.length + " timestamps, " + values.length + " values");
        }
        for (int i = 1; i < timestamps.length; i++) {
            if (timestamps[i] <= timestamps[i - 1]) {
                throw new IllegalArgumentException("out-of-order chunk timestamps must increase: " + timestamps[i] + " after " + timestamps[i - 1]);
            }
        }
        return new OutOfOrderChunk(timestamps, values);
    }

    @Override
    public int numSamples() {
        return timestamps.length;
    }

    @Override
    public long minTime() {
        return timestamps[0];
    }

    @Override
    public long maxTime() {
        return timestamps[timestamps.length - 1];
    }

    @Override
    public int sizeBytes() {
        return timestamps.length * (Long.BYTES + Double.BYTES);
    }

    /** Where {@code t} is, or {@code -(insertion point) - 1} as {@link Arrays#binarySearch(long[], long)}. */
    public int indexOf(long t) {
        return Arrays.binarySearch(timestamps, t);
    }

    public long timestampAt(int index) {
        return timestamps[index];
    }

    public double valueAt(int index) {
        return values[index];
    }

    /** A chunk with the sample added; {@code t} must not be in this chunk. */
    public OutOfOrderChunk with(long t, double v) {
        int at = indexOf(t);
        if (at >= 0) {
            throw new IllegalArgumentException("timestamp " + t + " is already in the chunk");
        }
        at = -at - 1;
        int n = timestamps.length;
        long[] ts = new long[n + 1];
        double[] vs = new double[n + 1];
        System.arraycopy(timestamps, 0, ts, 0, at);
        System.arraycopy(values, 0, vs, 0, at);
        ts[at] = t;
        vs[at] = v;
        System.arraycopy(timestamps, at, ts, at + 1, n - at);
        System.arraycopy(values, at, vs, at + 1, n - at);
        return new OutOfOrderChunk(ts, vs);
    }

    /** The same samples, compressed. */
    public XorChunk toXorChunk() {
        XorChunk chunk = new XorChunk();
        for (int i = 0; i < timestamps.length; i++) {
            chunk.append(timestamps[i], values[i]);
        }
        chunk.close();
        return chunk;
    }

    @Override
    public SampleIterator iterator() {
        return new SampleIterator() {
            private int index = -1;

            @Override
            public ValueType next() {
                if (index + 1 >= timestamps.length) {
                    index = timestamps.length;
                    return ValueType.NONE;
                }
                index++;
                return ValueType.FLOAT;
            }

            @Override
            public long timestamp() {
                return timestamps[index];
            }

            @Override
            public double value() {
                return values[index];
            }

            @Override
            public Histogram histogram() {
                throw new IllegalStateException("the current sample is a float sample, not a histogram");
            }
        };
    }
}
