package dev.runnel.ingester.chunk;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.util.Random;
import org.junit.jupiter.api.Test;

class XorChunkTest {

    private static final long STALE_MARKER = 0x7ff0000000000002L;

    @Test
    void roundTripsSpecialValuesBitForBit() {
        long[] bits = {
            STALE_MARKER, Double.doubleToRawLongBits(Double.NaN), 0x7ff8000000000001L, 0xfff0000000000001L, 0x7fffffffffffffffL,
            Double.doubleToRawLongBits(-0.0), 0L, Double.doubleToRawLongBits(Double.POSITIVE_INFINITY),
            Double.doubleToRawLongBits(Double.NEGATIVE_INFINITY), Double.doubleToRawLongBits(Double.MIN_VALUE),
            Double.doubleToRawLongBits(Double.MAX_VALUE), 1L, 0x8000000000000000L, -1L, STALE_MARKER, STALE_MARKER};
        long[] times = new long[bits.length];
        for (int i = 0; i < times.length; i++) {
            times[i] = 1_700_000_000_000L + i * 15_000L;
        }
        assertRoundTrip(times, bits);
    }

    @Test
    void roundTripsExtremeTimestamps() {
        long[] times = {Long.MIN_VALUE, -1, 0, 1, 8191, 8192, 1L << 40, Long.MAX_VALUE - 1, Long.MAX_VALUE};
        long[] bits = new long[times.length];
        assertRoundTrip(times, bits);
    }

    /** Property: any increasing timestamps and any value bits come back exactly, for many random shapes. */
    @Test
    void roundTripsRandomSequences() {
        Random random = new Random(42);
        for (int run = 0; run < 3000; run++) {
            int n = 1 + random.nextInt(Chunk.MAX_SAMPLES);
            long[] times = new long[n];
            long[] bits = new long[n];
            long t = random.nextLong() >> random.nextInt(64);
            int timeShape = random.nextInt(4);
            int valueShape = random.nextInt(5);
            double v = random.nextDouble() * 1000;
            for (int i = 0; i < n; i++) {
                times[i] = t;
                long step = switch (timeShape) {
                    case 0 -> 15_000;
                    case 1 -> 15_000 + random.nextInt(200) - 100;
                    case 2 -> 1 + (random.nextLong() >>> (1 + random.nextInt(63 - 20))) % (1L << 40);
                    default -> 1 + random.nextInt(1 << (1 + random.nextInt(24)));
                };
                t += step;
                bits[i] = switch (valueShape) {
                    case 0 -> random.nextLong();
                    case 1 -> Double.doubleToRawLongBits(v += random.nextInt(10));
                    case 2 -> Double.doubleToRawLongBits(random.nextInt(3));
                    case 3 -> random.nextInt(10) == 0 ? STALE_MARKER : Double.doubleToRawLongBits(random.nextGaussian());
                    default -> Double.doubleToRawLongBits(Math.round(random.nextDouble() * 100) / 100.0);
                };
            }
            assertRoundTrip(times, bits);
        }
    }

    @Test
    void refusesSamplesBeyondTheMaximum() {
        XorChunk chunk = new XorChunk();
        for (int i = 0; i < Chunk.MAX_SAMPLES; i++) {
            assertThat(chunk.append(i, i)).isTrue();
        }
        assertThat(chunk.isFull()).isTrue();
        assertThat(chunk.append(1000, 1)).isFalse();
        assertThat(chunk.numSamples()).isEqualTo(Chunk.MAX_SAMPLES);
        assertThat(chunk.maxTime()).isEqualTo(Chunk.MAX_SAMPLES - 1);
    }

    @Test
    void compressesRegularCounters() {
        XorChunk chunk = new XorChunk();
        for (int i = 0; i < Chunk.MAX_SAMPLES; i++) {
            chunk.append(1_700_000_000_000L + i * 15_000L, i * 10);
        }
        chunk.close();
        assertThat(chunk.sizeBytes()).isLessThan(Chunk.MAX_SAMPLES * 3);
    }

    @Test
    void iteratorSeesOnlyWhatWasAppendedWhenItStarted() {
        XorChunk chunk = new XorChunk();
        chunk.append(1, 1.5);
        chunk.append(2, 2.5);
        XorIterator it = chunk.iterator();
        chunk.append(3, 3.5);
        assertThat(it.next()).isEqualTo(ValueType.FLOAT);
        assertThat(it.next()).isEqualTo(ValueType.FLOAT);
        assertThat(it.timestamp()).isEqualTo(2);
        assertThat(it.value()).isEqualTo(2.5);
        assertThat(it.next()).isEqualTo(ValueType.NONE);
    }

    @Test
    void outOfOrderChunkKeepsSamplesSortedAndReencodes() {
        OutOfOrderChunk c = OutOfOrderChunk.EMPTY.with(30, 3).with(10, 1).with(20, 2);
        assertThat(c.indexOf(20)).isEqualTo(1);
        assertThat(c.minTime()).isEqualTo(10);
        assertThat(c.maxTime()).isEqualTo(30);
        SampleIterator it = c.toXorChunk().iterator();
        for (long t = 10; t <= 30; t += 10) {
            assertThat(it.next()).isEqualTo(ValueType.FLOAT);
            assertThat(it.timestamp()).isEqualTo(t);
            assertThat(it.value()).isEqualTo(t / 10.0);
        }
        assertThat(it.next()).isEqualTo(ValueType.NONE);
    }

    private static void assertRoundTrip(long[] times, long[] bits) {
        XorChunk chunk = new XorChunk();
        for (int i = 0; i < times.length; i++) {
            assertThat(chunk.append(times[i], Double.longBitsToDouble(bits[i]))).isTrue();
        }
        // Read both while open and after the trim on close.
        for (int pass = 0; pass < 2; pass++) {
            XorIterator it = chunk.iterator();
            long[] readTimes = new long[times.length];
            long[] readBits = new long[times.length];
            int n = 0;
            while (it.next() == ValueType.FLOAT && n < times.length) {
                readTimes[n] = it.timestamp();
                readBits[n++] = Double.doubleToRawLongBits(it.value());
            }
            assertThat(n).isEqualTo(times.length);
            assertThat(it.next()).isEqualTo(ValueType.NONE);
            assertThat(readTimes).isEqualTo(times);
            assertThat(readBits).isEqualTo(bits);
            chunk.close();
        }
        assertThat(chunk.minTime()).isEqualTo(times[0]);
        assertThat(chunk.maxTime()).isEqualTo(times[times.length - 1]);
    }

    @Test
    void writeBitsOfAnExtentStaysExactWhileAppendsGoOnAndFromBitsRebuildsAnAppendableChunk() {
        XorChunk chunk = new XorChunk();
        Random random = new Random(7);
        long t = 1_000;
        for (int i = 0; i < 50; i++) {
            chunk.append(t += 15_000 + random.nextInt(3), random.nextGaussian());
        }
        long extent = chunk.extent();
        byte[] bits = new byte[XorChunk.MAX_BIT_BYTES];
        XorChunk copy = new XorChunk();
        XorIterator it = chunk.iterator();
        while (it.next() != ValueType.NONE) {
            copy.append(it.timestamp(), it.value());
        }
        for (int i = 50; i < 120; i++) { // grows (copies) and fills the word array past the extent
            chunk.append(t += 15_000, random.nextGaussian());
        }
        chunk.writeBits(extent, bits, 0);

        XorChunk restored = XorChunk.fromBits(XorChunk.samples(extent), XorChunk.bitLength(extent), bits, 0);
        assertThat(restored.extent()).isEqualTo(extent);
        assertThat(restored.numSamples()).isEqualTo(50);
        long next = restored.maxTime() + 15_000;
        restored.append(next, 0.25);
        copy.append(next, 0.25);
        assertThat(restored.extent()).isEqualTo(copy.extent());
        byte[] a = new byte[XorChunk.MAX_BIT_BYTES];
        byte[] b = new byte[XorChunk.MAX_BIT_BYTES];
        restored.writeBits(restored.extent(), a, 0);
        copy.writeBits(copy.extent(), b, 0);
        assertThat(a).isEqualTo(b);
    }

    @Test
    void fromBitsRejectsBitsThatDoNotHoldTheSamplesSaid() {
        XorChunk chunk = new XorChunk();
        chunk.append(1000, 1);
        chunk.append(2000, 2);
        long extent = chunk.extent();
        byte[] bits = new byte[XorChunk.MAX_BIT_BYTES];
        chunk.writeBits(extent, bits, 0);

        assertThatThrownBy(() -> XorChunk.fromBits(3, XorChunk.bitLength(extent), bits, 0)).isInstanceOf(IllegalArgumentException.class);
        assertThatThrownBy(() -> XorChunk.fromBits(2, XorChunk.bitLength(extent) + 1, bits, 0)).isInstanceOf(IllegalArgumentException.class);
        assertThatThrownBy(() -> XorChunk.fromBits(0, 128, bits, 0)).hasMessageContaining("impossible");
        bits[16] ^= 0x20; // the sign bit of the second timestamp's delta of delta: now before the first
        assertThatThrownBy(() -> XorChunk.fromBits(2, XorChunk.bitLength(extent), bits, 0)).isInstanceOf(IllegalArgumentException.class);
    }
}
