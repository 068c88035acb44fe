package dev.runnel.ingester.snapshot;

import dev.runnel.ingester.chunk.Chunk;
import dev.runnel.ingester.chunk.HistogramChunk;
import dev.runnel.ingester.chunk.OutOfOrderChunk;
import dev.runnel.ingester.chunk.SampleIterator;
import dev.runnel.ingester.chunk.XorChunk;
import dev.runnel.proto.prometheus.write.v2.Histogram;
import java.io.IOException;

/**
 * A chunk in a snapshot: an encoding byte, then that encoding's payload (SNAPSHOT.md).
 * <ul>
 * <li>{@link #XOR}: the {@link XorChunk}'s own bit string, opaque here: varint samples, varint
 *     bit length, the bytes of {@link XorChunk#writeBits}; rebuilt by {@link XorChunk#fromBits}.</li>
 * <li>{@link #FLOATS}: an {@link OutOfOrderChunk}'s sorted samples: varint count, count x (i64
 *     timestamp, i64 value bits).</li>
 * <li>{@link #HISTOGRAMS}: a {@link HistogramChunk}'s samples through its public iterator: varint
 *     count, count x (i64 timestamp, varint length, remote-write 2.0 {@code Histogram} message).
 *     Independent of how the chunk encodes histograms in memory; a compressed histogram chunk can
 *     add an encoding with its own bytes beside this one.</li>
 * </ul>
 */
final class ChunkFormat {

    static final int XOR = 1;
    static final int FLOATS = 2;
    static final int HISTOGRAMS = 3;

    private static final int MAX_HISTOGRAM_BYTES = 16 << 20;

    private final byte[] bits = new byte[XorChunk.MAX_BIT_BYTES];
    private byte[] scratch = new byte[256];

    /** Writes the first {@code extent} of {@code chunk} ({@code SeriesState.extentOf}). */
    void write(Chunk chunk, long extent, PartOutput out) throws IOException {
        if (chunk instanceof XorChunk xor) {
            out.writeByte(XOR);
            out.writeVarint(XorChunk.samples(extent));
            out.writeVarint(XorChunk.bitLength(extent));
            xor.writeBits(extent, bits, 0);
            out.write(bits, 0, XorChunk.bitBytes(extent));
        } else if (chunk instanceof OutOfOrderChunk ooo) {
            out.writeByte(FLOATS);
            out.writeVarint(ooo.numSamples());
            for (int i = 0; i < ooo.numSamples(); i++) {
                out.writeLong(ooo.timestampAt(i));
                out.writeLong(Double.doubleToRawLongBits(ooo.valueAt(i)));
            }
        } else if (chunk instanceof HistogramChunk histograms) {
            int count = (int) extent;
            out.writeByte(HISTOGRAMS);
            out.writeVarint(count);
            SampleIterator it = histograms.iterator();
            for (int i = 0; i < count; i++) {
                it.next();
                out.writeLong(it.timestamp());
                writeHistogram(it.histogram(), out);
            }
        } else {
            throw new IllegalArgumentException("no snapshot encoding for " + chunk.getClass().getSimpleName());
        }
    }

    Chunk read(PartInput in) throws IOException {
        int encoding = in.readByte();
        try {
            return switch (encoding) {
                case XOR -> {
                    int count = in.readCount(Chunk.MAX_SAMPLES, "XOR chunk samples");
                    int bitLength = in.readCount(bits.length * 8, "XOR chunk bit length");
                    in.readFully(bits, 0, (bitLength + 7) >>> 3);
                    yield XorChunk.fromBits(count, bitLength, bits, 0);
                }
                case FLOATS -> {
                    int count = in.readCount(OutOfOrderChunk.CAPACITY, "out-of-order chunk samples");
                    long[] timestamps = new long[count];
                    double[] values = new double[count];
                    for (int i = 0; i < count; i++) {
                        timestamps[i] = in.readLong();
                        values[i] = Double.longBitsToDouble(in.readLong());
                    }
                    yield OutOfOrderChunk.of(timestamps, values);
                }
                case HISTOGRAMS -> {
                    int count = in.readCount(Chunk.MAX_SAMPLES, "histogram chunk samples");
                    HistogramChunk chunk = new HistogramChunk();
                    long last = Long.MIN_VALUE;
                    for (int i = 0; i < count; i++) {
                        long t = in.readLong();
                        if (i > 0 && t <= last) {
                            throw new IOException("histogram chunk timestamps must increase: " + t + " after " + last);
                        }
                        last = t;
                        if (!chunk.append(t, readHistogram(in))) {
                            // one chunk held them all when it was written: the bytes cannot be what was written
                            throw new IOException("histogram chunk sample " + i + " does not fit the chunk its predecessors make");
                        }
                    }
                    yield chunk;
                }
                default -> throw new IOException("unknown chunk encoding " + encoding);
            };
        } catch (IllegalArgumentException e) {
            throw new IOException("corrupt chunk: " + e.getMessage(), e);
        }
    }

    /** A histogram message: varint length, the message. */
    Histogram readHistogram(PartInput in) throws IOException {
        int length = in.readCount(MAX_HISTOGRAM_BYTES, "histogram message bytes");
        if (scratch.length < length) {
            scratch = new byte[Math.max(length, scratch.length * 2)];
        }
        in.readFully(scratch, 0, length);
        return Histogram.parser().parseFrom(scratch, 0, length);
    }

    static void writeHistogram(Histogram h, PartOutput out) throws IOException {
        byte[] message = h.toByteArray();
        out.writeVarint(message.length);
        out.write(message, 0, message.length);
    }
}
