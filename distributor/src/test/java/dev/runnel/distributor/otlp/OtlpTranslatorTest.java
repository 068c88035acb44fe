package dev.runnel.distributor.otlp;

import static dev.runnel.distributor.otlp.Otlp.T;
import static dev.runnel.distributor.otlp.Otlp.T_NANOS;
import static dev.runnel.distributor.otlp.Otlp.attr;
import static dev.runnel.distributor.otlp.Otlp.counter;
import static dev.runnel.distributor.otlp.Otlp.gauge;
import static dev.runnel.distributor.otlp.Otlp.point;
import static dev.runnel.distributor.otlp.Otlp.request;
import static dev.runnel.distributor.otlp.Otlp.resource;
import static dev.runnel.distributor.otlp.Otlp.samples;
import static dev.runnel.distributor.otlp.Otlp.series;
import static dev.runnel.distributor.otlp.Otlp.sum;
import static dev.runnel.distributor.otlp.Otlp.translate;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.entry;

import com.google.protobuf.ByteString;
import dev.runnel.distributor.write.Exemplar;
import dev.runnel.distributor.write.MetricMetadata;
import dev.runnel.distributor.write.WriteBatch;
import io.opentelemetry.proto.collector.metrics.v1.ExportMetricsServiceRequest;
import io.opentelemetry.proto.common.v1.AnyValue;
import io.opentelemetry.proto.common.v1.ArrayValue;
import io.opentelemetry.proto.metrics.v1.AggregationTemporality;
import io.opentelemetry.proto.metrics.v1.DataPointFlags;
import io.opentelemetry.proto.metrics.v1.Metric;
import io.opentelemetry.proto.metrics.v1.NumberDataPoint;
import java.util.HexFormat;
import java.util.List;
import org.junit.jupiter.api.Test;

class OtlpTranslatorTest {

    private static final AggregationTemporality CUMULATIVE = AggregationTemporality.AGGREGATION_TEMPORALITY_CUMULATIVE;
    private static final AggregationTemporality DELTA = AggregationTemporality.AGGREGATION_TEMPORALITY_DELTA;

    @Test
    void gaugeBecomesOneSeriesWithJobInstanceAndAttributes() {
        OtlpTranslation t = translate(request(gauge("cpu.temp", "Cel", point(42.5, attr("core", "0")))));

        assertThat(t.rejectedDataPoints()).isZero();
        assertThat(t.firstError()).isNull();
        WriteBatch batch = t.batch();
        assertThat(samples(batch)).containsExactly(
                entry("cpu_temp{core=\"0\", instance=\"i-1\", job=\"api\"}", List.of(42.5)));
        assertThat(batch.timestamp(0)).isEqualTo(T);
        assertThat(batch.createdTimestamp(0)).isZero();
        assertThat(batch.metadata()).containsExactly(
                new MetricMetadata("cpu_temp", MetricMetadata.Type.GAUGE, "help of cpu.temp", "Cel"));
    }

    @Test
    void anEmptyRequestIsAnEmptyBatch() {
        OtlpTranslation t = translate(ExportMetricsServiceRequest.getDefaultInstance());
        assertThat(t.batch().seriesCount()).isZero();
        assertThat(t.rejectedDataPoints()).isZero();
        assertThat(t.firstError()).isNull();
    }

    @Test
    void integerValuesAreConverted() {
        NumberDataPoint.Builder p = NumberDataPoint.newBuilder().setAsInt(7).setTimeUnixNano(T_NANOS);
        assertThat(samples(translate(request(gauge("g", "", p))).batch()).values()).containsExactly(List.of(7.0));
    }

    @Test
    void monotonicCumulativeSumIsACounterWithItsStartAsCreatedTimestamp() {
        Metric m = counter("http.requests", point(10).setStartTimeUnixNano(T_NANOS - 60_000_000_000L));

        WriteBatch plain = translate(request(m)).batch();
        assertThat(samples(plain)).containsOnlyKeys("http_requests{instance=\"i-1\", job=\"api\"}");
        assertThat(plain.createdTimestamp(0)).isEqualTo(T - 60_000);
        assertThat(plain.metadata().get(0).type()).isEqualTo(MetricMetadata.Type.COUNTER);

        WriteBatch suffixed = OtlpTranslator.translate(request(m), OtlpOptions.DEFAULTS.withAddSuffixes(true)).batch();
        assertThat(samples(suffixed)).containsOnlyKeys("http_requests_total{instance=\"i-1\", job=\"api\"}");
        assertThat(suffixed.metadata().get(0).family()).isEqualTo("http_requests_total");
    }

    @Test
    void startTimeAfterThePointIsNoCreatedTimestamp() {
        Metric m = counter("c", point(1).setStartTimeUnixNano(T_NANOS + 1_000_000_000L));
        assertThat(translate(request(m)).batch().createdTimestamp(0)).isZero();
    }

    @Test
    void nonMonotonicSumIsAGauge() {
        Metric m = sum("queue.size", "1", false, CUMULATIVE, point(3).setStartTimeUnixNano(T_NANOS - 1));
        WriteBatch batch = OtlpTranslator.translate(request(m), OtlpOptions.DEFAULTS.withAddSuffixes(true)).batch();
        assertThat(samples(batch)).containsOnlyKeys("queue_size{instance=\"i-1\", job=\"api\"}");
        assertThat(batch.createdTimestamp(0)).isZero();
        assertThat(batch.metadata().get(0).type()).isEqualTo(MetricMetadata.Type.GAUGE);
    }

    @Test
    void deltaPointsAreRejectedAndTheRestIsTranslated() {
        OtlpTranslation t = translate(request(
                sum("delta.requests", "", true, DELTA, point(1), point(2, attr("a", "b"))),
                gauge("kept", "", point(5))));

        assertThat(t.rejectedDataPoints()).isEqualTo(2);
        assertThat(t.firstError()).isEqualTo("metric \"delta.requests\": delta temporality is not supported; "
                + "use a cumulative exporter or the collector's deltatocumulative processor");
        assertThat(samples(t.batch())).containsOnlyKeys("kept{instance=\"i-1\", job=\"api\"}");
        assertThat(t.batch().metadata()).extracting(MetricMetadata::family).containsExactly("kept");
    }

    @Test
    void deltaHistogramsAndUnspecifiedTemporalityAreRejected() {
        Metric deltaHistogram = Metric.newBuilder().setName("h").setHistogram(
                io.opentelemetry.proto.metrics.v1.Histogram.newBuilder().setAggregationTemporality(DELTA)
                        .addDataPoints(HistogramsTest.histogramPoint(List.of(1.0), List.of(1L, 0L)))).build();
        Metric unspecified = sum("u", "", true, AggregationTemporality.AGGREGATION_TEMPORALITY_UNSPECIFIED, point(1));

        OtlpTranslation t = translate(request(deltaHistogram, unspecified));
        assertThat(t.rejectedDataPoints()).isEqualTo(2);
        assertThat(t.firstError()).contains("delta temporality is not supported");
        assertThat(t.batch().seriesCount()).isZero();

        assertThat(translate(request(unspecified)).firstError())
                .isEqualTo("metric \"u\": the aggregation temporality is unspecified; it must be cumulative");
    }

    @Test
    void noRecordedValueIsAStaleMarker() {
        Metric m = gauge("g", "", point(1).setFlags(DataPointFlags.DATA_POINT_FLAGS_NO_RECORDED_VALUE_MASK_VALUE));
        WriteBatch batch = translate(request(m)).batch();
        assertThat(Double.doubleToRawLongBits(batch.value(0))).isEqualTo(0x7ff0000000000002L);
    }

    @Test
    void pointsWithoutValueOrWithInvalidAttributesAreRejectedOneByOne() {
        OtlpTranslation t = translate(request(gauge("g", "",
                NumberDataPoint.newBuilder().setTimeUnixNano(T_NANOS),
                point(1, attr("..", "x")),
                point(2, attr("ok", "y")))));

        assertThat(t.rejectedDataPoints()).isEqualTo(2);
        assertThat(t.firstError()).isEqualTo("metric \"g\": a data point has no value (as_double or as_int)");
        assertThat(samples(t.batch())).containsOnlyKeys("g{instance=\"i-1\", job=\"api\", ok=\"y\"}");
    }

    @Test
    void invalidMetricNameRejectsAllItsPoints() {
        OtlpTranslation t = translate(request(gauge("...", "", point(1), point(2))));
        assertThat(t.rejectedDataPoints()).isEqualTo(2);
        assertThat(t.firstError()).isEqualTo("metric \"...\": the name is invalid: it needs a character of [a-zA-Z0-9:]");
        assertThat(t.batch().metadata()).isEmpty();
    }

    @Test
    void metricsWithoutDataAreReportedButRejectNothing() {
        OtlpTranslation t = translate(request(Metric.newBuilder().setName("empty").build(), gauge("g", "")));
        assertThat(t.rejectedDataPoints()).isZero();
        assertThat(t.firstError()).isEqualTo("metric \"empty\": it has no data (gauge, sum, histogram, "
                + "exponential histogram or summary)");
    }

    @Test
    void pointsOfTheSameSeriesShareIt() {
        WriteBatch batch = translate(request(gauge("g", "",
                point(1, attr("a", "x")),
                point(2, attr("a", "x")).setTimeUnixNano(T_NANOS + 1_000_000_000L),
                point(3, attr("a", "y"))))).batch();
        assertThat(samples(batch)).containsExactly(
                entry("g{a=\"x\", instance=\"i-1\", job=\"api\"}", List.of(1.0, 2.0)),
                entry("g{a=\"y\", instance=\"i-1\", job=\"api\"}", List.of(3.0)));
        assertThat(batch.timestamp(1)).isEqualTo(T + 1000);
    }

    @Test
    void attributeNamesAreSanitizedAndCollisionsJoined() {
        WriteBatch batch = translate(request(gauge("g", "", point(1,
                attr("a_b", "second"), attr("a.b", "first"), attr("1st", "x"), attr("_p", "y"), attr("empty", ""),
                attr("list", AnyValue.newBuilder().setArrayValue(ArrayValue.newBuilder()
                        .addValues(AnyValue.newBuilder().setIntValue(1))
                        .addValues(AnyValue.newBuilder().setStringValue("two"))).build()),
                attr("flag", AnyValue.newBuilder().setBoolValue(true).build()),
                attr("ratio", AnyValue.newBuilder().setDoubleValue(0.25).build()))))).batch();
        assertThat(samples(batch)).containsOnlyKeys("g{a_b=\"first;second\", flag=\"true\", instance=\"i-1\", "
                + "job=\"api\", key_1st=\"x\", key_p=\"y\", list=\"[1,\"two\"]\", ratio=\"0.25\"}");
    }

    @Test
    void utf8NamesAreKeptWhenTheTenantAllowsThem() {
        Metric m = gauge("http.server.active", "", point(1, attr("http.method", "GET")));
        WriteBatch batch = OtlpTranslator.translate(request(m), OtlpOptions.DEFAULTS.withUtf8Names(true)).batch();
        assertThat(batch.metricName(0)).isEqualTo("http.server.active");
        assertThat(batch.labelValue(0, "http.method")).isEqualTo("GET");
    }

    @Test
    void jobJoinsNamespaceAndNameAndTargetInfoCarriesTheOtherAttributes() {
        ExportMetricsServiceRequest req = request(resource(attr("service.namespace", "shop"),
                attr("service.name", "cart"), attr("service.instance.id", "pod-7"), attr("host.name", "node-1"),
                attr("k8s.pod.uid", "abc")), gauge("g", "", point(1)));

        WriteBatch batch = translate(req).batch();
        assertThat(samples(batch)).containsExactly(
                entry("g{instance=\"pod-7\", job=\"shop/cart\"}", List.of(1.0)),
                entry("target_info{host_name=\"node-1\", instance=\"pod-7\", job=\"shop/cart\", k8s_pod_uid=\"abc\"}",
                        List.of(1.0)));
        assertThat(batch.timestamp(batch.sampleStart(1))).isEqualTo(T);

        WriteBatch kept = OtlpTranslator.translate(req,
                OtlpOptions.DEFAULTS.withKeepIdentifyingResourceAttributes(true)).batch();
        assertThat(kept.describe(1)).isEqualTo("target_info{host_name=\"node-1\", instance=\"pod-7\", "
                + "job=\"shop/cart\", k8s_pod_uid=\"abc\", service_instance_id=\"pod-7\", service_name=\"cart\", "
                + "service_namespace=\"shop\"}");
    }

    @Test
    void noTargetInfoWithoutOtherAttributesOrWithoutJobAndInstance() {
        assertThat(translate(request(gauge("g", "", point(1)))).batch().seriesCount()).isEqualTo(1);
        ExportMetricsServiceRequest anonymous = request(resource(attr("host.name", "n")), gauge("g", "", point(1)));
        assertThat(samples(translate(anonymous).batch())).containsOnlyKeys("g{}");
    }

    @Test
    void targetInfoSpansTheResourcesPointsEveryHalfLookbackDelta() {
        ExportMetricsServiceRequest req = request(resource(attr("service.name", "a"), attr("host.name", "h")),
                gauge("g", "", point(1), point(2, attr("x", "1")).setTimeUnixNano(T_NANOS + 400_000_000_000L)));
        WriteBatch batch = translate(req).batch();
        int info = series(batch, "target_info{host_name=\"h\", job=\"a\"}");
        assertThat(timestamps(batch, info)).containsExactly(T, T + 150_000, T + 300_000, T + 400_000);
    }

    @Test
    void targetInfoSamplesAreBoundedWhenPointsSpanLongRanges() {
        ExportMetricsServiceRequest req = request(resource(attr("service.name", "a"), attr("host.name", "h")),
                gauge("g", "", point(1).setTimeUnixNano(0), point(2, attr("x", "1"))));
        WriteBatch batch = translate(req).batch();
        List<Long> times = timestamps(batch, series(batch, "target_info{host_name=\"h\", job=\"a\"}"));
        assertThat(times).hasSize(TargetInfo.MAX_SAMPLES).endsWith(T);
    }

    @Test
    void promotedResourceAttributesAreAddedUnlessThePointHasThem() {
        ExportMetricsServiceRequest req = request(resource(attr("service.name", "a"), attr("k8s.namespace.name", "ns"),
                attr("cloud.region", "eu"), attr("host.name", "h")),
                gauge("g", "", point(1), point(2, attr("cloud_region", "us"))));
        OtlpOptions options = OtlpOptions.DEFAULTS.withPromoteResourceAttributes(
                List.of("k8s.namespace.name", "cloud.region", "absent"));

        assertThat(samples(OtlpTranslator.translate(req, options).batch())).containsOnlyKeys(
                "g{cloud_region=\"eu\", job=\"a\", k8s_namespace_name=\"ns\"}",
                "g{cloud_region=\"us\", job=\"a\", k8s_namespace_name=\"ns\"}",
                "target_info{cloud_region=\"eu\", host_name=\"h\", job=\"a\", k8s_namespace_name=\"ns\"}");
    }

    @Test
    void scopeLabelsWhenEnabled() {
        ExportMetricsServiceRequest req = request(gauge("g", "", point(1)));
        assertThat(translate(req).batch().describe(0)).isEqualTo("g{instance=\"i-1\", job=\"api\"}");
        WriteBatch batch = OtlpTranslator.translate(req, OtlpOptions.DEFAULTS.withPromoteScopeMetadata(true)).batch();
        assertThat(batch.describe(0)).isEqualTo("g{instance=\"i-1\", job=\"api\", otel_scope_name=\"lib\", "
                + "otel_scope_schema_url=\"https://opentelemetry.io/schemas/1.21.0\", otel_scope_version=\"1.2\"}");
    }

    @Test
    void exemplarsCarryTraceAndSpanIdsInHexAndTheirAttributes() {
        byte[] trace = HexFormat.of().parseHex("0102030405060708090a0b0c0d0e0f10");
        byte[] span = HexFormat.of().parseHex("1112131415161718");
        Metric m = counter("c", point(3).addExemplars(io.opentelemetry.proto.metrics.v1.Exemplar.newBuilder()
                .setAsDouble(0.7).setTimeUnixNano(T_NANOS - 5_000_000).setTraceId(ByteString.copyFrom(trace))
                .setSpanId(ByteString.copyFrom(span)).addFilteredAttributes(attr("user.id", "u1"))));

        WriteBatch batch = translate(request(m)).batch();
        assertThat(batch.exemplars(0)).containsExactly(new Exemplar(List.of(
                "trace_id", "0102030405060708090a0b0c0d0e0f10", "span_id", "1112131415161718", "user_id", "u1"),
                0.7, T - 5));
    }

    @Test
    void exemplarAttributesPastTheLimitAreLeftOut() {
        Metric m = counter("c", point(3).addExemplars(io.opentelemetry.proto.metrics.v1.Exemplar.newBuilder()
                .setAsInt(1).setTimeUnixNano(T_NANOS).addFilteredAttributes(attr("long", "x".repeat(130)))));
        assertThat(translate(request(m)).batch().exemplars(0)).containsExactly(new Exemplar(List.of(), 1, T));
    }

    @Test
    void exemplarWithoutValueRejectsItsPoint() {
        Metric m = counter("c", point(3).addExemplars(io.opentelemetry.proto.metrics.v1.Exemplar.newBuilder()
                .setTimeUnixNano(T_NANOS)));
        OtlpTranslation t = translate(request(m));
        assertThat(t.rejectedDataPoints()).isOne();
        assertThat(t.firstError()).isEqualTo("metric \"c\": an exemplar has no value");
    }

    @Test
    void resourcesWithTheSameLabelsShareSeriesAndMetadataIsSentOncePerFamily() {
        ExportMetricsServiceRequest req = ExportMetricsServiceRequest.newBuilder()
                .addResourceMetrics(Otlp.resourceMetrics(resource(attr("service.name", "a")), gauge("g", "", point(1))))
                .addResourceMetrics(Otlp.resourceMetrics(resource(attr("service.name", "a")),
                        gauge("g", "", point(2).setTimeUnixNano(T_NANOS + 1_000_000)))).build();
        WriteBatch batch = translate(req).batch();
        assertThat(samples(batch)).containsExactly(entry("g{job=\"a\"}", List.of(1.0, 2.0)));
        assertThat(batch.metadata()).hasSize(1);
    }

    static List<Long> timestamps(WriteBatch batch, int series) {
        return java.util.stream.IntStream.range(batch.sampleStart(series), batch.sampleEnd(series))
                .mapToObj(batch::timestamp).toList();
    }
}
