package dev.runnel.ingester.chunk;

import dev.runnel.proto.prometheus.write.v2.Histogram;

/** Decodes an {@link XorChunk} (format in its class comment) without allocating; reusable with {@link #reset}. */
public final class XorIterator implements SampleIterator {

    private long[] words;
    private int count;
    private int index;
    private int pos;
    private long t;
    private long delta;
    private long bits;
    private int leading;
    private int trailing;

    /** Starts over on the samples {@code chunk} holds now. */
    public void reset(XorChunk chunk) {
        count = chunk.publishedCount();
        words = chunk.words();
        index = 0;
        pos = 0;
        delta = 0;
    }

    @Override
    public ValueType next() {
        if (index >= count) {
            return ValueType.NONE;
        }
        if (index == 0) {
            t = Bits.read(words, 0, 64);
            bits = Bits.read(words, 64, 64);
            pos = 128;
        } else {
            delta += readDeltaOfDelta();
            t += delta;
            readXor();
        }
        index++;
        return ValueType.FLOAT;
    }

    private long readDeltaOfDelta() {
        if (Bits.read(words, pos, 1) == 0) {
            pos += 1;
            return 0;
        }
        int prefix = (int) Bits.read(words, pos, 4);
        if ((prefix & 0b0100) == 0) {
            return signed(2, 14);
        } else if ((prefix & 0b0010) == 0) {
            return signed(3, 17);
        } else if ((prefix & 0b0001) == 0) {
            return signed(4, 20);
        }
        return signed(4, 64);
    }

    private long signed(int prefixBits, int n) {
        long raw = Bits.read(words, pos + prefixBits, n);
        pos += prefixBits + n;
        return (raw << (64 - n)) >> (64 - n);
    }

    private void readXor() {
        if (Bits.read(words, pos, 1) == 0) {
            pos += 1;
            return;
        }
        if (Bits.read(words, pos + 1, 1) == 0) {
            pos += 2;
        } else {
            leading = (int) Bits.read(words, pos + 2, 6);
            int significant = (int) Bits.read(words, pos + 8, 6);
            if (significant == 0) {
                significant = 64;
            }
            trailing = 64 - leading - significant;
            pos += 14;
        }
        int significant = 64 - leading - trailing;
        bits ^= Bits.read(words, pos, significant) << trailing;
        pos += significant;
    }

    @Override
    public long timestamp() {
        return t;
    }

    @Override
    public double value() {
        return Double.longBitsToDouble(bits);
    }

    @Override
    public Histogram histogram() {
        throw new IllegalStateException("the current sample is a float sample, not a histogram");
    }
}
