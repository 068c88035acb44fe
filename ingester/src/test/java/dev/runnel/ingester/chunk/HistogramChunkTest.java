package dev.runnel.ingester.chunk;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.runnel.proto.prometheus.write.v2.BucketSpan;
import dev.runnel.proto.prometheus.write.v2.Histogram;
import dev.runnel.proto.prometheus.write.v2.Histogram.ResetHint;
import java.util.ArrayList;
import java.util.List;
import java.util.Random;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

class HistogramChunkTest {

    private static final double STALE = Double.longBitsToDouble(HistogramChunk.STALE_NAN_BITS);

    @Test
    void integerHistogramsRoundTripWithOneLayoutPerChunk() {
        HistogramChunk chunk = new HistogramChunk();
        List<Histogram> appended = new ArrayList<>();
        for (int i = 0; i < 50; i++) {
            Histogram h = intHistogram(i, 1000L * i, ResetHint.RESET_HINT_UNSPECIFIED);
            assertThat(chunk.append(1000L * i, h)).isTrue();
            appended.add(h);
        }
        assertThat(read(chunk)).containsExactlyElementsOf(expected(appended, ResetHint.RESET_HINT_UNSPECIFIED, false));
        assertThat(chunk.minTime()).isZero();
        assertThat(chunk.maxTime()).isEqualTo(49_000);
        // Steadily growing counts take a bit each per sample; most of a sample is its sum's xor.
        chunk.close();
        int messageBytes = appended.stream().mapToInt(Histogram::getSerializedSize).sum();
        assertThat(chunk.sizeBytes()).isLessThan(messageBytes / 4);
    }

    @Test
    void floatHistogramsRoundTrip() {
        HistogramChunk chunk = new HistogramChunk();
        List<Histogram> appended = new ArrayList<>();
        for (int i = 0; i < 30; i++) {
            Histogram h = Histogram.newBuilder().setTimestamp(15_000L * i).setCountFloat(10.5 * i).setSum(3.25 * i)
                    .setSchema(-1).setZeroThreshold(1e-128).setZeroCountFloat(0.5 * i + 1)
                    .addPositiveSpans(span(-2, 2)).addPositiveSpans(span(1, 1)).addPositiveCounts(i).addPositiveCounts(2.5 * i).addPositiveCounts(7 * i)
                    .addNegativeSpans(span(0, 1)).addNegativeCounts(0.25 * i)
                    .setResetHint(ResetHint.RESET_HINT_GAUGE).build();
            assertThat(chunk.append(h.getTimestamp(), h)).isTrue();
            appended.add(h);
        }
        assertThat(read(chunk)).containsExactlyElementsOf(expected(appended, ResetHint.RESET_HINT_GAUGE, true));
    }

    @Test
    void anotherLayoutDoesNotFitAndStartsTheNextChunk() {
        HistogramChunk chunk = new HistogramChunk();
        chunk.append(1000, intHistogram(1, 1000, ResetHint.RESET_HINT_UNSPECIFIED));
        Histogram wider = intHistogram(2, 2000, ResetHint.RESET_HINT_UNSPECIFIED).toBuilder()
                .addPositiveSpans(span(3, 1)).addPositiveDeltas(1).build();
        assertThat(chunk.append(2000, wider)).isFalse();
        assertThat(chunk.append(2000, wider.toBuilder().setSchema(1).build())).isFalse();
        assertThat(chunk.append(2000, intHistogram(2, 2000, ResetHint.RESET_HINT_UNSPECIFIED).toBuilder().setZeroThreshold(0.5).build())).isFalse();
        assertThat(chunk.append(2000, Histogram.newBuilder().setCountFloat(1).setTimestamp(2000).build())).isFalse();
        assertThat(chunk.numSamples()).isEqualTo(1);

        HistogramChunk next = chunk.successor(2000, wider);
        assertThat(read(next)).containsExactly(wider.toBuilder().setResetHint(ResetHint.RESET_HINT_NO).build());
    }

    @Test
    void counterResetsStartAChunkWhoseHeaderSaysSo() {
        HistogramChunk chunk = new HistogramChunk();
        chunk.append(1000, intHistogram(5, 1000, ResetHint.RESET_HINT_UNSPECIFIED));
        Histogram lower = intHistogram(1, 2000, ResetHint.RESET_HINT_UNSPECIFIED);
        assertThat(chunk.append(2000, lower)).isFalse();
        assertThat(read(chunk.successor(2000, lower)).get(0).getResetHint()).isEqualTo(ResetHint.RESET_HINT_YES);

        Histogram said = intHistogram(6, 2000, ResetHint.RESET_HINT_YES);
        assertThat(chunk.append(2000, said)).isFalse();
        assertThat(read(chunk.successor(2000, said)).get(0).getResetHint()).isEqualTo(ResetHint.RESET_HINT_YES);

        // One bucket going down is a reset too, even with the total count up.
        Histogram bucketDown = intHistogram(6, 2000, ResetHint.RESET_HINT_UNSPECIFIED).toBuilder().setPositiveDeltas(0, 0).build();
        assertThat(chunk.append(2000, bucketDown)).isFalse();

        // A gauge's counts go up and down in one chunk; a counter sample does not join it.
        HistogramChunk gauge = new HistogramChunk();
        gauge.append(1000, intHistogram(5, 1000, ResetHint.RESET_HINT_GAUGE));
        assertThat(gauge.append(2000, intHistogram(1, 2000, ResetHint.RESET_HINT_GAUGE))).isTrue();
        assertThat(gauge.append(3000, intHistogram(3, 3000, ResetHint.RESET_HINT_NO))).isFalse();
        assertThat(read(gauge.successor(3000, intHistogram(3, 3000, ResetHint.RESET_HINT_NO))).get(0).getResetHint())
                .isEqualTo(ResetHint.RESET_HINT_NO);
    }

    @Test
    void staleMarkersFitAnyChunkAndKeepTheCountsForTheNextSample() {
        HistogramChunk chunk = new HistogramChunk();
        chunk.append(1000, intHistogram(3, 1000, ResetHint.RESET_HINT_UNSPECIFIED));
        Histogram stale = Histogram.newBuilder().setTimestamp(2000).setSum(STALE).setCountInt(HistogramChunk.STALE_NAN_BITS).build();
        assertThat(chunk.append(2000, stale)).isTrue();
        assertThat(chunk.append(3000, intHistogram(4, 3000, ResetHint.RESET_HINT_UNSPECIFIED))).isTrue();
        List<Histogram> read = read(chunk);
        assertThat(read).hasSize(3);
        assertThat(read.get(1)).isEqualTo(stale.toBuilder().setResetHint(ResetHint.RESET_HINT_NO).build());
        assertThat(Double.doubleToRawLongBits(read.get(1).getSum())).isEqualTo(HistogramChunk.STALE_NAN_BITS);
        assertThat(read.get(2)).isEqualTo(intHistogram(4, 3000, ResetHint.RESET_HINT_NO));
    }

    @Test
    void nanSumsAndNegativeZeroKeepTheirBits() {
        HistogramChunk chunk = new HistogramChunk();
        double[] sums = {Double.NaN, Double.longBitsToDouble(0x7ff8000000000123L), -0.0, Double.POSITIVE_INFINITY, 1.5};
        for (int i = 0; i < sums.length; i++) {
            chunk.append(i, Histogram.newBuilder().setTimestamp(i).setCountInt(i).setSum(sums[i]).build());
        }
        List<Histogram> read = read(chunk);
        for (int i = 0; i < sums.length; i++) {
            assertThat(Double.doubleToRawLongBits(read.get(i).getSum())).isEqualTo(Double.doubleToRawLongBits(sums[i]));
        }
    }

    @Test
    void holdsAtMost120Samples() {
        HistogramChunk chunk = new HistogramChunk();
        for (int i = 0; i < Chunk.MAX_SAMPLES; i++) {
            assertThat(chunk.append(i, intHistogram(i, i, ResetHint.RESET_HINT_UNSPECIFIED))).isTrue();
        }
        assertThat(chunk.append(500, intHistogram(500, 500, ResetHint.RESET_HINT_UNSPECIFIED))).isFalse();
    }

    @ParameterizedTest
    @ValueSource(longs = {1, 2, 3, 4, 5, 6, 7, 8})
    void randomHistogramsRoundTripThroughChunksAndBytes(long seed) {
        Random random = new Random(seed);
        boolean floats = random.nextBoolean();
        List<HistogramChunk> chunks = new ArrayList<>();
        List<Histogram> appended = new ArrayList<>();
        long t = random.nextLong() >> 20;
        int buckets = 1 + random.nextInt(6);
        long[] counts = new long[buckets];
        for (int i = 0; i < 400; i++) {
            t += random.nextInt(10) == 0 ? random.nextInt(1 << 30) : 15_000 + random.nextInt(3) - 1;
            if (random.nextInt(40) == 0) {
                buckets = 1 + random.nextInt(6);
                counts = new long[buckets];
            }
            Histogram h;
            if (random.nextInt(30) == 0) {
                h = Histogram.newBuilder().setTimestamp(t).setSum(STALE).build();
                h = floats ? h.toBuilder().setCountFloat(0).build() : h.toBuilder().setCountInt(0).build();
            } else {
                boolean reset = random.nextInt(25) == 0;
                Histogram.Builder b = Histogram.newBuilder().setTimestamp(t).setSchema(3).addPositiveSpans(span(-1, buckets));
                long total = 0;
                long previous = 0;
                for (int k = 0; k < buckets; k++) {
                    counts[k] = reset ? random.nextInt(3) : counts[k] + random.nextInt(k == 0 ? 1000 : 5);
                    total += counts[k];
                    if (floats) {
                        b.addPositiveCounts(counts[k] * (random.nextBoolean() ? 1 : 0.1));
                    } else {
                        b.addPositiveDeltas(counts[k] - previous);
                    }
                    previous = counts[k];
                }
                b.setSum(random.nextBoolean() ? total * 0.37 : random.nextDouble());
                h = floats ? b.setCountFloat(total).build() : b.setCountInt(total).build();
            }
            appended.add(h);
            HistogramChunk open = chunks.isEmpty() ? null : chunks.get(chunks.size() - 1);
            if (open == null) {
                open = new HistogramChunk();
                open.append(t, h);
                chunks.add(open);
            } else if (!open.append(t, h)) {
                chunks.add(open.successor(t, h));
            }
        }
        List<Histogram> read = new ArrayList<>();
        for (HistogramChunk chunk : chunks) {
            List<Histogram> samples = read(chunk);
            assertThat(read(HistogramChunk.fromBytes(withPadding(chunk.toBytes()), 3, chunk.toBytes().length)))
                    .containsExactlyElementsOf(samples);
            chunk.close();
            assertThat(read(chunk)).containsExactlyElementsOf(samples);
            read.addAll(samples);
        }
        assertThat(read).hasSameSizeAs(appended);
        for (int i = 0; i < read.size(); i++) {
            // Hints are the chunk's header for its first sample and NO after; everything else is kept as appended.
            assertThat(read.get(i).toBuilder().clearResetHint().build()).as("sample %d", i).isEqualTo(appended.get(i));
        }
    }

    @Test
    void aChunkRebuiltFromItsBytesTakesMoreSamples() {
        HistogramChunk chunk = new HistogramChunk();
        for (int i = 0; i < 10; i++) {
            chunk.append(1000L * i, intHistogram(i, 1000L * i, i == 0 ? ResetHint.RESET_HINT_YES : ResetHint.RESET_HINT_NO));
        }
        byte[] bytes = chunk.toBytes();
        HistogramChunk rebuilt = HistogramChunk.fromBytes(bytes, 0, bytes.length);
        assertThat(rebuilt.toBytes()).isEqualTo(bytes);
        for (HistogramChunk c : List.of(chunk, rebuilt)) {
            assertThat(c.append(10_000, intHistogram(10, 10_000, ResetHint.RESET_HINT_NO))).isTrue();
        }
        assertThat(rebuilt.toBytes()).isEqualTo(chunk.toBytes());
        assertThat(read(rebuilt).get(0).getResetHint()).isEqualTo(ResetHint.RESET_HINT_YES);
    }

    @Test
    void badBytesAndMalformedHistogramsAreRejectedWithAReason() {
        assertThatThrownBy(() -> HistogramChunk.fromBytes(new byte[] {0, 5, 1, 2}, 0, 4))
                .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("end inside sample");
        assertThatThrownBy(() -> HistogramChunk.fromBytes(new byte[] {0, 0}, 0, 2))
                .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("1 to 120 samples");
        assertThatThrownBy(() -> HistogramChunk.check(Histogram.newBuilder().setCountInt(1).addPositiveSpans(span(0, 2)).addPositiveDeltas(1).build()))
                .isInstanceOf(IllegalArgumentException.class).hasMessage("a histogram has 1 positive bucket counts but its positive spans cover 2 buckets");
        assertThatThrownBy(() -> HistogramChunk.check(Histogram.newBuilder().setCountInt(1).addPositiveSpans(span(0, 1)).addPositiveCounts(1).build()))
                .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("integer count has float bucket counts");
    }

    private static byte[] withPadding(byte[] bytes) {
        byte[] padded = new byte[bytes.length + 6];
        System.arraycopy(bytes, 0, padded, 3, bytes.length);
        return padded;
    }

    private static Histogram intHistogram(long i, long t, ResetHint hint) {
        // Buckets 0, 1 at offset 0 and 4, 5 after a gap; counts i, 2i, 3i, 4i+1.
        Histogram.Builder h = Histogram.newBuilder().setTimestamp(t).setCountInt(10 * i + 1).setSum(0.1 * i).setSchema(2).setZeroThreshold(0.001);
        if (i != 0) { // a zero count of 0 reads back unset
            h.setZeroCountInt(i);
        }
        return h.addPositiveSpans(span(0, 2)).addPositiveSpans(span(2, 2))
                .addPositiveDeltas(i).addPositiveDeltas(i).addPositiveDeltas(i).addPositiveDeltas(i + 1)
                .setResetHint(hint).build();
    }

    private static BucketSpan span(int offset, int length) {
        return BucketSpan.newBuilder().setOffset(offset).setLength(length).build();
    }

    /** What a chunk of these samples reads back: the first one's hint, then GAUGE or NO. */
    private static List<Histogram> expected(List<Histogram> appended, ResetHint first, boolean gauge) {
        List<Histogram> expected = new ArrayList<>();
        for (int i = 0; i < appended.size(); i++) {
            ResetHint hint = i == 0 ? first : gauge ? ResetHint.RESET_HINT_GAUGE : ResetHint.RESET_HINT_NO;
            expected.add(appended.get(i).toBuilder().setResetHint(hint).build());
        }
        return expected;
    }

    private static List<Histogram> read(HistogramChunk chunk) {
        List<Histogram> out = new ArrayList<>();
        SampleIterator it = chunk.iterator();
        while (it.next() == ValueType.HISTOGRAM) {
            out.add(it.histogram());
        }
        return out;
    }
}
