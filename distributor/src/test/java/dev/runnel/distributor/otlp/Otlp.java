package dev.runnel.distributor.otlp;

import dev.runnel.distributor.write.WriteBatch;
import io.opentelemetry.proto.collector.metrics.v1.ExportMetricsServiceRequest;
import io.opentelemetry.proto.common.v1.AnyValue;
import io.opentelemetry.proto.common.v1.InstrumentationScope;
import io.opentelemetry.proto.common.v1.KeyValue;
import io.opentelemetry.proto.metrics.v1.AggregationTemporality;
import io.opentelemetry.proto.metrics.v1.Gauge;
import io.opentelemetry.proto.metrics.v1.Metric;
import io.opentelemetry.proto.metrics.v1.NumberDataPoint;
import io.opentelemetry.proto.metrics.v1.ResourceMetrics;
import io.opentelemetry.proto.metrics.v1.ScopeMetrics;
import io.opentelemetry.proto.metrics.v1.Sum;
import io.opentelemetry.proto.resource.v1.Resource;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/** Builders for OTLP test requests and a readable view of the batch they translate to. */
final class Otlp {

    static final long T = 1_700_000_000_000L;
    static final long T_NANOS = T * 1_000_000;

    private Otlp() {
    }

    static KeyValue attr(String key, String value) {
        return KeyValue.newBuilder().setKey(key).setValue(AnyValue.newBuilder().setStringValue(value)).build();
    }

    static KeyValue attr(String key, AnyValue value) {
        return KeyValue.newBuilder().setKey(key).setValue(value).build();
    }

    static Resource resource(KeyValue... attributes) {
        return Resource.newBuilder().addAllAttributes(List.of(attributes)).build();
    }

    static ExportMetricsServiceRequest request(Resource resource, Metric... metrics) {
        return ExportMetricsServiceRequest.newBuilder().addResourceMetrics(resourceMetrics(resource, metrics)).build();
    }

    static ExportMetricsServiceRequest request(Metric... metrics) {
        return request(resource(attr("service.name", "api"), attr("service.instance.id", "i-1")), metrics);
    }

    static ResourceMetrics resourceMetrics(Resource resource, Metric... metrics) {
        return ResourceMetrics.newBuilder().setResource(resource)
                .addScopeMetrics(ScopeMetrics.newBuilder()
                        .setScope(InstrumentationScope.newBuilder().setName("lib").setVersion("1.2"))
                        .setSchemaUrl("https://opentelemetry.io/schemas/1.21.0")
                        .addAllMetrics(List.of(metrics)))
                .build();
    }

    static NumberDataPoint.Builder point(double value, KeyValue... attributes) {
        return NumberDataPoint.newBuilder().setAsDouble(value).setTimeUnixNano(T_NANOS)
                .addAllAttributes(List.of(attributes));
    }

    static Metric gauge(String name, String unit, NumberDataPoint.Builder... points) {
        Gauge.Builder gauge = Gauge.newBuilder();
        for (NumberDataPoint.Builder p : points) {
            gauge.addDataPoints(p);
        }
        return Metric.newBuilder().setName(name).setUnit(unit).setDescription("help of " + name).setGauge(gauge).build();
    }

    static Metric sum(String name, String unit, boolean monotonic, AggregationTemporality temporality,
                      NumberDataPoint.Builder... points) {
        Sum.Builder sum = Sum.newBuilder().setIsMonotonic(monotonic).setAggregationTemporality(temporality);
        for (NumberDataPoint.Builder p : points) {
            sum.addDataPoints(p);
        }
        return Metric.newBuilder().setName(name).setUnit(unit).setDescription("help of " + name).setSum(sum).build();
    }

    static Metric counter(String name, NumberDataPoint.Builder... points) {
        return sum(name, "", true, AggregationTemporality.AGGREGATION_TEMPORALITY_CUMULATIVE, points);
    }

    static OtlpTranslation translate(ExportMetricsServiceRequest request) {
        return OtlpTranslator.translate(request, OtlpOptions.DEFAULTS);
    }

    /** Each series as {@code name{labels}} mapped to its float samples' values. */
    static Map<String, List<Double>> samples(WriteBatch batch) {
        Map<String, List<Double>> out = new LinkedHashMap<>();
        for (int s = 0; s < batch.seriesCount(); s++) {
            List<Double> values = new ArrayList<>();
            for (int i = batch.sampleStart(s); i < batch.sampleEnd(s); i++) {
                values.add(batch.value(i));
            }
            out.put(batch.describe(s), values);
        }
        return out;
    }

    /** The index of the series described as {@code name{labels}}; fails if there is none. */
    static int series(WriteBatch batch, String description) {
        for (int s = 0; s < batch.seriesCount(); s++) {
            if (batch.describe(s).equals(description)) {
                return s;
            }
        }
        throw new AssertionError("no series " + description + " in " + samples(batch).keySet());
    }
}
