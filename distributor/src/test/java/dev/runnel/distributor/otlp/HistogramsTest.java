package dev.runnel.distributor.otlp;

import static dev.runnel.distributor.otlp.Otlp.T;
import static dev.runnel.distributor.otlp.Otlp.T_NANOS;
import static dev.runnel.distributor.otlp.Otlp.attr;
import static dev.runnel.distributor.otlp.Otlp.request;
import static dev.runnel.distributor.otlp.Otlp.samples;
import static dev.runnel.distributor.otlp.Otlp.series;
import static dev.runnel.distributor.otlp.Otlp.translate;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.entry;

import dev.runnel.distributor.write.Exemplar;
import dev.runnel.distributor.write.MetricMetadata;
import dev.runnel.distributor.write.WriteBatch;
import dev.runnel.proto.prometheus.write.v2.BucketSpan;
import dev.runnel.proto.prometheus.write.v2.Histogram;
import io.opentelemetry.proto.metrics.v1.AggregationTemporality;
import io.opentelemetry.proto.metrics.v1.DataPointFlags;
import io.opentelemetry.proto.metrics.v1.HistogramDataPoint;
import io.opentelemetry.proto.metrics.v1.Metric;
import io.opentelemetry.proto.metrics.v1.Summary;
import io.opentelemetry.proto.metrics.v1.SummaryDataPoint;
import java.util.List;
import org.junit.jupiter.api.Test;

/** Explicit-bucket histograms (classic and custom buckets) and summaries. */
class HistogramsTest {

    static HistogramDataPoint.Builder histogramPoint(List<Double> bounds, List<Long> counts) {
        return HistogramDataPoint.newBuilder().setTimeUnixNano(T_NANOS).setStartTimeUnixNano(T_NANOS - 10_000_000_000L)
                .addAllExplicitBounds(bounds).addAllBucketCounts(counts)
                .setCount(counts.stream().mapToLong(Long::longValue).sum());
    }

    static Metric histogram(String name, String unit, HistogramDataPoint.Builder... points) {
        var h = io.opentelemetry.proto.metrics.v1.Histogram.newBuilder()
                .setAggregationTemporality(AggregationTemporality.AGGREGATION_TEMPORALITY_CUMULATIVE);
        for (HistogramDataPoint.Builder p : points) {
            h.addDataPoints(p);
        }
        return Metric.newBuilder().setName(name).setUnit(unit).setDescription("latency").setHistogram(h).build();
    }

    @Test
    void classicHistogramHasCumulativeBucketsSumAndCount() {
        Metric m = histogram("http.duration", "s",
                histogramPoint(List.of(0.1, 0.5, 1.0), List.of(2L, 3L, 0L, 1L)).setSum(4.2).addAttributes(attr("r", "/")));
        WriteBatch batch = OtlpTranslator.translate(request(m), OtlpOptions.DEFAULTS.withAddSuffixes(true)).batch();

        String labels = "instance=\"i-1\", job=\"api\", r=\"/\"";
        assertThat(samples(batch)).containsExactly(
                entry("http_duration_seconds_sum{" + labels + "}", List.of(4.2)),
                entry("http_duration_seconds_count{" + labels + "}", List.of(6.0)),
                entry("http_duration_seconds_bucket{instance=\"i-1\", job=\"api\", le=\"0.1\", r=\"/\"}", List.of(2.0)),
                entry("http_duration_seconds_bucket{instance=\"i-1\", job=\"api\", le=\"0.5\", r=\"/\"}", List.of(5.0)),
                entry("http_duration_seconds_bucket{instance=\"i-1\", job=\"api\", le=\"1\", r=\"/\"}", List.of(5.0)),
                entry("http_duration_seconds_bucket{instance=\"i-1\", job=\"api\", le=\"+Inf\", r=\"/\"}", List.of(6.0)));
        for (int s = 0; s < batch.seriesCount(); s++) {
            assertThat(batch.createdTimestamp(s)).isEqualTo(T - 10_000);
        }
        assertThat(batch.metadata()).containsExactly(
                new MetricMetadata("http_duration_seconds", MetricMetadata.Type.HISTOGRAM, "latency", "s"));
    }

    @Test
    void classicHistogramWithoutSumOrBucketsHasCountAndInfBucket() {
        Metric m = histogram("h", "", histogramPoint(List.of(), List.of()).setCount(3));
        assertThat(samples(translate(request(m)).batch())).containsExactly(
                entry("h_count{instance=\"i-1\", job=\"api\"}", List.of(3.0)),
                entry("h_bucket{instance=\"i-1\", job=\"api\", le=\"+Inf\"}", List.of(3.0)));
    }

    @Test
    void exemplarsGoToTheFirstBucketThatHoldsThem() {
        Metric m = histogram("h", "", histogramPoint(List.of(1.0, 2.0), List.of(1L, 1L, 1L))
                .addExemplars(exemplar(1.5)).addExemplars(exemplar(0.5)).addExemplars(exemplar(9))
                .addExemplars(exemplar(Double.NaN)));
        WriteBatch batch = translate(request(m)).batch();
        assertThat(batch.exemplars(series(batch, "h_bucket{instance=\"i-1\", job=\"api\", le=\"1\"}")))
                .extracting(Exemplar::value).containsExactly(0.5);
        assertThat(batch.exemplars(series(batch, "h_bucket{instance=\"i-1\", job=\"api\", le=\"2\"}")))
                .extracting(Exemplar::value).containsExactly(1.5);
        assertThat(batch.exemplars(series(batch, "h_bucket{instance=\"i-1\", job=\"api\", le=\"+Inf\"}")))
                .extracting(Exemplar::value).containsExactly(9.0);
        assertThat(batch.exemplars(series(batch, "h_count{instance=\"i-1\", job=\"api\"}"))).isEmpty();
        assertThat(batch.totalExemplars()).isEqualTo(3); // NaN is in no bucket
    }

    @Test
    void staleClassicHistogramMarksEverySeries() {
        Metric m = histogram("h", "", histogramPoint(List.of(1.0), List.of(1L, 1L)).setSum(1)
                .setFlags(DataPointFlags.DATA_POINT_FLAGS_NO_RECORDED_VALUE_MASK_VALUE));
        WriteBatch batch = translate(request(m)).batch();
        assertThat(batch.seriesCount()).isEqualTo(4);
        for (int i = 0; i < batch.seriesCount(); i++) {
            assertThat(Double.doubleToRawLongBits(batch.value(i))).isEqualTo(Points.STALE_NAN_BITS);
        }
    }

    @Test
    void invalidBucketsRejectThePoint() {
        Metric m = histogram("h", "",
                histogramPoint(List.of(1.0, 2.0), List.of(1L, 1L)),
                histogramPoint(List.of(2.0, 1.0), List.of(1L, 1L, 1L)),
                histogramPoint(List.of(1.0, Double.POSITIVE_INFINITY), List.of(1L, 1L, 1L)),
                histogramPoint(List.of(1.0), List.of(1L, 1L)));
        OtlpTranslation t = translate(request(m));
        assertThat(t.rejectedDataPoints()).isEqualTo(3);
        assertThat(t.firstError()).isEqualTo("metric \"h\": a histogram data point has 2 bucket counts for 2 explicit "
                + "bounds; it must have 3 (one more than bounds) or none");
        assertThat(t.batch().seriesCount()).isEqualTo(3);
    }

    @Test
    void histogramsBecomeCustomBucketNativeHistogramsWhenEnabled() {
        Metric m = histogram("h", "", histogramPoint(List.of(0.1, 0.5, 1.0, 5.0), List.of(0L, 3L, 0L, 0L, 2L))
                .setSum(7.5).addExemplars(exemplar(0.3)));
        WriteBatch batch = OtlpTranslator.translate(request(m),
                OtlpOptions.DEFAULTS.withConvertHistogramsToNhcb(true)).batch();

        assertThat(batch.seriesCount()).isEqualTo(1);
        assertThat(batch.describe(0)).isEqualTo("h{instance=\"i-1\", job=\"api\"}");
        assertThat(batch.sampleEnd(0) - batch.sampleStart(0)).isZero();
        assertThat(batch.histograms(0)).containsExactly(Histogram.newBuilder()
                .setSchema(-53).setTimestamp(T).setCountInt(5).setSum(7.5)
                .addAllCustomValues(List.of(0.1, 0.5, 1.0, 5.0))
                // buckets 1 and 4: a gap of two is filled with zeros rather than a new span
                .addPositiveSpans(span(1, 4))
                .addAllPositiveDeltas(List.of(3L, -3L, 0L, 2L))
                .build());
        assertThat(batch.exemplars(0)).extracting(Exemplar::value).containsExactly(0.3);
        assertThat(batch.createdTimestamp(0)).isEqualTo(T - 10_000);
        assertThat(batch.metadata().get(0).type()).isEqualTo(MetricMetadata.Type.HISTOGRAM);
    }

    @Test
    void summaryHasQuantilesSumAndCount() {
        Metric m = Metric.newBuilder().setName("rpc.latency").setUnit("ms").setSummary(Summary.newBuilder()
                .addDataPoints(SummaryDataPoint.newBuilder().setTimeUnixNano(T_NANOS).setCount(10).setSum(123)
                        .addQuantileValues(quantile(0.5, 9)).addQuantileValues(quantile(0.99, 40)))).build();
        WriteBatch batch = OtlpTranslator.translate(request(m), OtlpOptions.DEFAULTS.withAddSuffixes(true)).batch();
        assertThat(samples(batch)).containsExactly(
                entry("rpc_latency_milliseconds_sum{instance=\"i-1\", job=\"api\"}", List.of(123.0)),
                entry("rpc_latency_milliseconds_count{instance=\"i-1\", job=\"api\"}", List.of(10.0)),
                entry("rpc_latency_milliseconds{instance=\"i-1\", job=\"api\", quantile=\"0.5\"}", List.of(9.0)),
                entry("rpc_latency_milliseconds{instance=\"i-1\", job=\"api\", quantile=\"0.99\"}", List.of(40.0)));
        assertThat(batch.metadata().get(0).type()).isEqualTo(MetricMetadata.Type.SUMMARY);
    }

    static BucketSpan span(int offset, int length) {
        return BucketSpan.newBuilder().setOffset(offset).setLength(length).build();
    }

    private static io.opentelemetry.proto.metrics.v1.Exemplar exemplar(double value) {
        return io.opentelemetry.proto.metrics.v1.Exemplar.newBuilder().setAsDouble(value).setTimeUnixNano(T_NANOS).build();
    }

    private static SummaryDataPoint.ValueAtQuantile quantile(double q, double v) {
        return SummaryDataPoint.ValueAtQuantile.newBuilder().setQuantile(q).setValue(v).build();
    }
}
