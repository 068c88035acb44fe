package dev.runnel.distributor.otlp;

import dev.runnel.proto.prometheus.write.v2.Histogram;
import io.opentelemetry.proto.metrics.v1.HistogramDataPoint;

/**
 * Explicit-bucket histogram points as native histograms with custom buckets (schema -53): the
 * explicit bounds become the custom values, bucket {@code i} keeps index {@code i}. The OTLP
 * implicit {@code +Inf} bucket is the one above the last bound, as in Prometheus.
 */
final class CustomBucketHistograms {

    static final int CUSTOM_BUCKETS_SCHEMA = -53;

    private CustomBucketHistograms() {
    }

    static long add(HistogramDataPoint p, String family, PointLabeler labeler, SeriesSet out) throws RejectedPoint {
        ExplicitBounds.validate(p);
        long time = Points.millis(p.getTimeUnixNano());
        Histogram.Builder h = Histogram.newBuilder()
                .setSchema(CUSTOM_BUCKETS_SCHEMA)
                .setTimestamp(time)
                .addAllCustomValues(p.getExplicitBoundsList());
        BucketLayout.encode(h, BucketLayout.Side.POSITIVE, p.getBucketCountsCount(), p::getBucketCounts, 0, 0, 0);
        NativeHistograms.setCountAndSum(h, p.getFlags(), p.getCount(), p.hasSum(), p.getSum());
        var exemplars = Exemplars.convert(p.getExemplarsList(), labeler.namer());
        out.histogram(PointLabeler.series(labeler.base(p.getAttributesList()), family), h.build(),
                Points.createdMillis(p.getStartTimeUnixNano(), time)).exemplars(exemplars);
        return time;
    }
}
