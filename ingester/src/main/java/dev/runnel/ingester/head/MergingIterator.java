package dev.runnel.ingester.head;

import dev.runnel.ingester.chunk.Chunk;
import dev.runnel.ingester.chunk.SampleIterator;
import dev.runnel.ingester.chunk.ValueType;
import dev.runnel.ingester.chunk.XorChunk;
import dev.runnel.ingester.chunk.XorIterator;
import dev.runnel.proto.prometheus.write.v2.Histogram;

/**
 * A series' samples in {@code [minT, maxT]} from its in-order and out-of-order chunks, in
 * timestamp order. In-order chunks do not overlap and are read one after the other;
 * out-of-order chunks may overlap anything, so with any of them the iterator merges: each step
 * takes the earliest current sample of all chunks, and a timestamp present in several chunks
 * is read once, from the earliest chunk in the list (in-order chunks come first).
 */
final class MergingIterator implements SampleIterator {

    private final SampleIterator[] sources;
    private final ValueType[] types;
    private final long[] times;
    private final long minT;
    private final long maxT;
    private int current = -1;

    MergingIterator(Chunk[] inOrder, Chunk[] outOfOrder, long minT, long maxT) {
        int n = 0;
        SampleIterator[] its = new SampleIterator[inOrder.length + outOfOrder.length];
        for (Chunk[] list : new Chunk[][] {inOrder, outOfOrder}) {
            for (Chunk c : list) {
                if (c.numSamples() > 0 && c.maxTime() >= minT && c.minTime() <= maxT) {
                    its[n++] = c instanceof XorChunk xor ? xorIterator(xor) : c.iterator();
                }
            }
        }
        this.sources = its;
        this.types = new ValueType[n];
        this.times = new long[n];
        this.minT = minT;
        this.maxT = maxT;
        for (int i = 0; i < n; i++) {
            ValueType type;
            do {
                type = its[i].next();
            } while (type != ValueType.NONE && its[i].timestamp() < minT);
            types[i] = type;
            times[i] = type == ValueType.NONE ? Long.MAX_VALUE : its[i].timestamp();
        }
    }

    private static XorIterator xorIterator(XorChunk chunk) {
        XorIterator it = new XorIterator();
        it.reset(chunk);
        return it;
    }

    /** True if no chunk holds a sample in the range. */
    boolean isEmpty() {
        for (int i = 0; i < types.length; i++) {
            if (types[i] != ValueType.NONE && times[i] <= maxT) {
                return false;
            }
        }
        return true;
    }

    @Override
    public ValueType next() {
        if (current >= 0) {
            long last = times[current];
            for (int i = 0; i < types.length; i++) {
                if (types[i] != ValueType.NONE && times[i] == last) {
                    advance(i);
                }
            }
        }
        int best = -1;
        long bestTime = Long.MAX_VALUE;
        for (int i = 0; i < types.length; i++) {
            if (types[i] != ValueType.NONE && times[i] < bestTime) {
                best = i;
                bestTime = times[i];
            }
        }
        if (best < 0 || bestTime > maxT) {
            current = -1;
            for (int i = 0; i < types.length; i++) {
                types[i] = ValueType.NONE;
            }
            return ValueType.NONE;
        }
        current = best;
        return types[best];
    }

    private void advance(int i) {
        ValueType type = sources[i].next();
        types[i] = type;
        times[i] = type == ValueType.NONE ? Long.MAX_VALUE : sources[i].timestamp();
    }

    @Override
    public long timestamp() {
        return times[current];
    }

    @Override
    public double value() {
        return sources[current].value();
    }

    @Override
    public Histogram histogram() {
        return sources[current].histogram();
    }
}
