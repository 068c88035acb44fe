package dev.runnel.distributor.otlp;

import static dev.runnel.distributor.otlp.HistogramsTest.span;
import static dev.runnel.distributor.otlp.Otlp.T;
import static dev.runnel.distributor.otlp.Otlp.T_NANOS;
import static dev.runnel.distributor.otlp.Otlp.request;
import static org.assertj.core.api.Assertions.assertThat;

import dev.runnel.distributor.write.MetricMetadata;
import dev.runnel.distributor.write.WriteBatch;
import dev.runnel.proto.prometheus.write.v2.BucketSpan;
import dev.runnel.proto.prometheus.write.v2.Histogram;
import io.opentelemetry.proto.metrics.v1.AggregationTemporality;
import io.opentelemetry.proto.metrics.v1.DataPointFlags;
import io.opentelemetry.proto.metrics.v1.ExponentialHistogram;
import io.opentelemetry.proto.metrics.v1.ExponentialHistogramDataPoint;
import io.opentelemetry.proto.metrics.v1.ExponentialHistogramDataPoint.Buckets;
import io.opentelemetry.proto.metrics.v1.Metric;
import java.util.List;
import java.util.Random;
import java.util.TreeMap;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

class ExponentialHistogramsTest {

    private static ExponentialHistogramDataPoint.Builder point(int scale, Buckets positive, Buckets negative) {
        return ExponentialHistogramDataPoint.newBuilder().setTimeUnixNano(T_NANOS)
                .setStartTimeUnixNano(T_NANOS - 1_000_000_000L).setScale(scale)
                .setPositive(positive).setNegative(negative);
    }

    private static Buckets buckets(int offset, Long... counts) {
        return Buckets.newBuilder().setOffset(offset).addAllBucketCounts(List.of(counts)).build();
    }

    private static Metric metric(ExponentialHistogramDataPoint.Builder... points) {
        ExponentialHistogram.Builder h = ExponentialHistogram.newBuilder()
                .setAggregationTemporality(AggregationTemporality.AGGREGATION_TEMPORALITY_CUMULATIVE);
        for (ExponentialHistogramDataPoint.Builder p : points) {
            h.addDataPoints(p);
        }
        return Metric.newBuilder().setName("rpc.duration").setUnit("s").setExponentialHistogram(h).build();
    }

    private static Histogram translateOne(ExponentialHistogramDataPoint.Builder p) {
        OtlpTranslation t = Otlp.translate(request(metric(p)));
        assertThat(t.firstError()).isNull();
        assertThat(t.batch().seriesCount()).isEqualTo(1);
        return t.batch().histograms(0).get(0);
    }

    @Test
    void scaleIsTheSchemaAndBucketIndicesMoveUpByOne() {
        WriteBatch batch = OtlpTranslator.translate(request(metric(point(3, buckets(0, 1L, 2L), buckets(-2, 3L))
                .setCount(10).setSum(12.5).setZeroCount(4).setZeroThreshold(0.001))),
                OtlpOptions.DEFAULTS.withAddSuffixes(true)).batch();

        assertThat(batch.describe(0)).isEqualTo("rpc_duration_seconds{instance=\"i-1\", job=\"api\"}");
        assertThat(batch.createdTimestamp(0)).isEqualTo(T - 1000);
        assertThat(batch.metadata()).containsExactly(
                new MetricMetadata("rpc_duration_seconds", MetricMetadata.Type.HISTOGRAM, "", "s"));
        assertThat(batch.histograms(0)).containsExactly(Histogram.newBuilder()
                .setSchema(3).setTimestamp(T).setCountInt(10).setSum(12.5)
                .setZeroCountInt(4).setZeroThreshold(0.001)
                .addPositiveSpans(span(1, 2)).addAllPositiveDeltas(List.of(1L, 1L))
                .addNegativeSpans(span(-1, 1)).addNegativeDeltas(3)
                .build());
    }

    @Test
    void zeroThresholdDefaultsToPrometheusOne() {
        assertThat(translateOne(point(0, buckets(0), buckets(0))).getZeroThreshold()).isEqualTo(1e-128);
    }

    @Test
    void scalesAboveEightAreMergedDownToEight() {
        // scale 10 -> schema 8: every 4 neighbouring buckets merge; OTLP index -1 -> -1, 0..3 -> 0, 4..7 -> 1
        Histogram h = translateOne(point(10, buckets(-1, 1L, 1L, 1L, 1L, 1L, 2L, 0L, 0L, 1L), buckets(0)).setCount(9));
        assertThat(h.getSchema()).isEqualTo(8);
        assertThat(h.getPositiveSpansList()).containsExactly(span(0, 3));
        assertThat(h.getPositiveDeltasList()).containsExactly(1L, 3L, -1L);
        assertThat(h.getNegativeSpansList()).isEmpty();
    }

    @Test
    void negativeBucketsAreDownscaledToo() {
        Histogram h = translateOne(point(9, buckets(0), buckets(-4, 1L, 2L, 3L, 4L)));
        // OTLP indices -4..-1 at scale 9 -> -2, -2, -1, -1 at schema 8, then +1
        assertThat(h.getNegativeSpansList()).containsExactly(span(-1, 2));
        assertThat(h.getNegativeDeltasList()).containsExactly(3L, 4L);
    }

    @Test
    void gapsOfMoreThanTwoBucketsStartANewSpan() {
        Histogram far = translateOne(point(0, buckets(0, 1L, 0L, 0L, 0L, 5L), buckets(0)));
        assertThat(far.getPositiveSpansList()).containsExactly(span(1, 1), span(3, 1));
        assertThat(far.getPositiveDeltasList()).containsExactly(1L, 4L);

        Histogram near = translateOne(point(0, buckets(0, 1L, 0L, 0L, 5L), buckets(0)));
        assertThat(near.getPositiveSpansList()).containsExactly(span(1, 4));
        assertThat(near.getPositiveDeltasList()).containsExactly(1L, -1L, 0L, 5L);

        Histogram leadingZeros = translateOne(point(0, buckets(5, 0L, 0L, 7L), buckets(0)));
        assertThat(leadingZeros.getPositiveSpansList()).containsExactly(span(8, 1));
        assertThat(leadingZeros.getPositiveDeltasList()).containsExactly(7L);
    }

    @ParameterizedTest
    @ValueSource(ints = {-5, 21, 100})
    void scalesOutsideTheRangeAreRejected(int scale) {
        OtlpTranslation t = Otlp.translate(request(metric(point(scale, buckets(0, 1L), buckets(0)),
                point(0, buckets(0, 1L), buckets(0)))));
        assertThat(t.rejectedDataPoints()).isOne();
        assertThat(t.firstError()).isEqualTo("metric \"rpc.duration\": exponential histogram scale " + scale
                + " is out of range: it must be from -4 to 20");
        assertThat(t.batch().seriesCount()).isOne();
    }

    @Test
    void noRecordedValueIsAStaleHistogram() {
        Histogram h = translateOne(point(0, buckets(0, 1L), buckets(0)).setCount(1).setSum(2)
                .setFlags(DataPointFlags.DATA_POINT_FLAGS_NO_RECORDED_VALUE_MASK_VALUE));
        assertThat(Double.doubleToRawLongBits(h.getSum())).isEqualTo(Points.STALE_NAN_BITS);
    }

    @Test
    void deltaIsRejected() {
        Metric delta = metric(point(0, buckets(0, 1L), buckets(0))).toBuilder()
                .setExponentialHistogram(metric(point(0, buckets(0, 1L), buckets(0))).getExponentialHistogram()
                        .toBuilder().setAggregationTemporality(AggregationTemporality.AGGREGATION_TEMPORALITY_DELTA))
                .build();
        OtlpTranslation t = Otlp.translate(request(delta));
        assertThat(t.rejectedDataPoints()).isOne();
        assertThat(t.firstError()).contains(OtlpTranslator.DELTA_NOT_SUPPORTED);
    }

    /** Whatever the scale and layout, the translated buckets hold the same counts at the merged indices. */
    @Test
    void randomLayoutsKeepEveryCountAtItsMergedIndex() {
        Random random = new Random(42);
        for (int round = 0; round < 500; round++) {
            int scale = -4 + random.nextInt(25);
            int offset = random.nextInt(2001) - 1000;
            Long[] counts = new Long[random.nextInt(40)];
            for (int i = 0; i < counts.length; i++) {
                counts[i] = random.nextInt(3) == 0 ? 0L : (long) random.nextInt(100);
            }
            Histogram h = translateOne(point(scale, buckets(offset, counts), buckets(-offset, counts)));

            int scaleDown = Math.max(0, scale - 8);
            TreeMap<Long, Long> expected = new TreeMap<>();
            TreeMap<Long, Long> expectedNegative = new TreeMap<>();
            for (int i = 0; i < counts.length; i++) {
                if (counts[i] != 0) {
                    expected.merge(Math.floorDiv(offset + i, 1L << scaleDown) + 1, counts[i], Long::sum);
                    expectedNegative.merge(Math.floorDiv(-offset + i, 1L << scaleDown) + 1, counts[i], Long::sum);
                }
            }
            assertThat(h.getSchema()).isEqualTo(Math.min(scale, 8));
            assertThat(expand(h.getPositiveSpansList(), h.getPositiveDeltasList())).isEqualTo(expected);
            assertThat(expand(h.getNegativeSpansList(), h.getNegativeDeltasList())).isEqualTo(expectedNegative);
        }
    }

    /** The non-empty buckets of a span/delta layout by index. */
    private static TreeMap<Long, Long> expand(List<BucketSpan> spans, List<Long> deltas) {
        TreeMap<Long, Long> buckets = new TreeMap<>();
        long index = 0;
        long count = 0;
        int d = 0;
        for (int s = 0; s < spans.size(); s++) {
            index += spans.get(s).getOffset();
            for (int i = 0; i < spans.get(s).getLength(); i++) {
                count += deltas.get(d++);
                if (count != 0) {
                    buckets.put(index, count);
                }
                index++;
            }
        }
        assertThat(d).isEqualTo(deltas.size());
        return buckets;
    }
}
