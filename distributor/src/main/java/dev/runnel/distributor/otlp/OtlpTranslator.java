package dev.runnel.distributor.otlp;

import dev.runnel.distributor.write.MetricMetadata;
import dev.runnel.distributor.write.WriteBatch;
import dev.runnel.distributor.write.WriteBatchBuilder;
import io.opentelemetry.proto.collector.metrics.v1.ExportMetricsServiceRequest;
import io.opentelemetry.proto.metrics.v1.AggregationTemporality;
import io.opentelemetry.proto.metrics.v1.Metric;
import io.opentelemetry.proto.metrics.v1.ResourceMetrics;
import io.opentelemetry.proto.metrics.v1.ScopeMetrics;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * Translates OTLP metrics into a {@link WriteBatch} the way Prometheus' OTLP receiver and Mimir do
 * (the rules are in {@code distributor/OTLP.md}). Each data point is translated or rejected on its
 * own: a point with delta temporality or invalid data is counted and the first reason kept, the
 * rest of the request goes on. Never throws for bad input.
 */
public final class OtlpTranslator {

    static final String DELTA_NOT_SUPPORTED = "delta temporality is not supported; use a cumulative exporter "
            + "or the collector's deltatocumulative processor";

    private final OtlpOptions options;
    private final MetricNamer metricNamer;
    private final LabelNamer labelNamer;
    private final SeriesSet series = new SeriesSet();
    private final Map<String, MetricMetadata> metadata = new LinkedHashMap<>();
    private final Rejections rejections = new Rejections();
    /** The time range of the accepted points of the current resource, for its target_info. */
    private long earliestMillis;
    private long latestMillis;

    private OtlpTranslator(OtlpOptions options) {
        this.options = options;
        this.metricNamer = new MetricNamer(options);
        this.labelNamer = new LabelNamer(options.utf8Names());
    }

    public static OtlpTranslation translate(ExportMetricsServiceRequest request, OtlpOptions options) {
        OtlpTranslator translator = new OtlpTranslator(options);
        for (ResourceMetrics resource : request.getResourceMetricsList()) {
            translator.resource(resource);
        }
        return translator.result();
    }

    private void resource(ResourceMetrics rm) {
        ResourceLabels resource = new ResourceLabels(rm.getResource(), options, labelNamer);
        earliestMillis = Long.MAX_VALUE;
        latestMillis = Long.MIN_VALUE;
        for (ScopeMetrics sm : rm.getScopeMetricsList()) {
            Map<String, String> scope = options.promoteScopeMetadata()
                    ? PointLabeler.scopeLabels(sm.getScope(), sm.getSchemaUrl(), labelNamer) : Map.of();
            PointLabeler labeler = new PointLabeler(resource, scope, labelNamer);
            for (Metric metric : sm.getMetricsList()) {
                metric(metric, labeler);
            }
        }
        if (earliestMillis <= latestMillis) {
            try {
                TargetInfo.add(resource, options.keepIdentifyingResourceAttributes(), labelNamer,
                        earliestMillis, latestMillis, series);
            } catch (RejectedPoint e) {
                rejections.note("target_info: " + e.getMessage());
            }
        }
    }

    private void metric(Metric m, PointLabeler labeler) {
        switch (m.getDataCase()) {
            case GAUGE -> points(m, MetricKind.GAUGE, m.getGauge().getDataPointsList(),
                    (p, family) -> NumberPoints.add(p, family, false, labeler, series));
            case SUM -> {
                var sum = m.getSum();
                MetricKind kind = sum.getIsMonotonic() ? MetricKind.COUNTER : MetricKind.NON_MONOTONIC_SUM;
                if (cumulative(m, sum.getAggregationTemporality(), sum.getDataPointsCount())) {
                    points(m, kind, sum.getDataPointsList(),
                            (p, family) -> NumberPoints.add(p, family, kind == MetricKind.COUNTER, labeler, series));
                }
            }
            case HISTOGRAM -> {
                var histogram = m.getHistogram();
                if (cumulative(m, histogram.getAggregationTemporality(), histogram.getDataPointsCount())) {
                    points(m, MetricKind.HISTOGRAM, histogram.getDataPointsList(), options.convertHistogramsToNhcb()
                            ? (p, family) -> CustomBucketHistograms.add(p, family, labeler, series)
                            : (p, family) -> ClassicHistograms.add(p, family, labeler, series));
                }
            }
            case EXPONENTIAL_HISTOGRAM -> {
                var histogram = m.getExponentialHistogram();
                if (cumulative(m, histogram.getAggregationTemporality(), histogram.getDataPointsCount())) {
                    points(m, MetricKind.EXPONENTIAL_HISTOGRAM, histogram.getDataPointsList(),
                            (p, family) -> ExponentialHistograms.add(p, family, labeler, series));
                }
            }
            case SUMMARY -> points(m, MetricKind.SUMMARY, m.getSummary().getDataPointsList(),
                    (p, family) -> Summaries.add(p, family, labeler, series));
            case DATA_NOT_SET -> rejections.note(describe(m) + ": it has no data (gauge, sum, histogram, "
                    + "exponential histogram or summary)");
        }
    }

    /** Translates one point; returns its timestamp in milliseconds. */
    private interface PointConverter<P> {
        long add(P point, String family) throws RejectedPoint;
    }

    private <P> void points(Metric m, MetricKind kind, List<P> points, PointConverter<P> converter) {
        if (points.isEmpty()) {
            rejections.note(describe(m) + ": it has no data points");
            return;
        }
        String family = metricNamer.build(m.getName(), m.getUnit(), kind);
        if (family == null) {
            rejections.reject(points.size(), m.getName().isEmpty() ? "a metric has no name"
                    : describe(m) + ": the name is invalid: it needs a character of [a-zA-Z0-9:]");
            return;
        }
        boolean accepted = false;
        for (P p : points) {
            try {
                long time = converter.add(p, family);
                earliestMillis = Math.min(earliestMillis, time);
                latestMillis = Math.max(latestMillis, time);
                accepted = true;
            } catch (RejectedPoint e) {
                rejections.reject(1, describe(m) + ": " + e.getMessage());
            }
        }
        if (accepted) {
            metadata.putIfAbsent(family, new MetricMetadata(family, kind.metadataType(), m.getDescription(),
                    m.getUnit()));
        }
    }

    private boolean cumulative(Metric m, AggregationTemporality temporality, int points) {
        if (temporality == AggregationTemporality.AGGREGATION_TEMPORALITY_CUMULATIVE) {
            return true;
        }
        String reason = switch (temporality) {
            case AGGREGATION_TEMPORALITY_DELTA -> DELTA_NOT_SUPPORTED;
            case AGGREGATION_TEMPORALITY_UNSPECIFIED -> "the aggregation temporality is unspecified; it must be cumulative";
            default -> "the aggregation temporality is unknown; it must be cumulative";
        };
        rejections.reject(points, describe(m) + ": " + reason);
        return false;
    }

    private static String describe(Metric m) {
        return "metric \"" + m.getName() + "\"";
    }

    private OtlpTranslation result() {
        WriteBatchBuilder batch = WriteBatch.builder();
        series.writeTo(batch);
        metadata.values().forEach(batch::metadata);
        return new OtlpTranslation(batch.build(), rejections.points(), rejections.firstError());
    }
}
