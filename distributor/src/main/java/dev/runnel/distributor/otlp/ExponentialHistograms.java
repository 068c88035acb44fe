package dev.runnel.distributor.otlp;

import dev.runnel.proto.prometheus.write.v2.Histogram;
import io.opentelemetry.proto.metrics.v1.ExponentialHistogramDataPoint;

/**
 * Exponential histogram points as native histograms. OTLP's scale is Prometheus' schema; scales
 * above 8 (Prometheus' finest) are reduced to 8 by merging neighbouring buckets, scales below -4
 * (its coarsest) are rejected, as are those above OTLP's own maximum of 20. The zero bucket keeps
 * its count and threshold (1e-128, Prometheus' default, when the point gives none).
 */
final class ExponentialHistograms {

    static final int MIN_SCALE = -4;
    static final int MAX_SCHEMA = 8;
    static final int MAX_SCALE = 20;
    static final double DEFAULT_ZERO_THRESHOLD = 1e-128;

    private ExponentialHistograms() {
    }

    static long add(ExponentialHistogramDataPoint p, String family, PointLabeler labeler, SeriesSet out)
            throws RejectedPoint {
        int scale = p.getScale();
        if (scale < MIN_SCALE || scale > MAX_SCALE) {
            throw new RejectedPoint("exponential histogram scale " + scale + " is out of range: it must be from "
                    + MIN_SCALE + " to " + MAX_SCALE);
        }
        int scaleDown = Math.max(0, scale - MAX_SCHEMA);
        long time = Points.millis(p.getTimeUnixNano());
        Histogram.Builder h = Histogram.newBuilder()
                .setSchema(scale - scaleDown)
                .setZeroThreshold(p.getZeroThreshold() > 0 ? p.getZeroThreshold() : DEFAULT_ZERO_THRESHOLD)
                .setZeroCountInt(p.getZeroCount())
                .setTimestamp(time);
        ExponentialHistogramDataPoint.Buckets positive = p.getPositive();
        BucketLayout.encode(h, BucketLayout.Side.POSITIVE, positive.getBucketCountsCount(), positive::getBucketCounts,
                positive.getOffset(), scaleDown, 1);
        ExponentialHistogramDataPoint.Buckets negative = p.getNegative();
        BucketLayout.encode(h, BucketLayout.Side.NEGATIVE, negative.getBucketCountsCount(), negative::getBucketCounts,
                negative.getOffset(), scaleDown, 1);
        NativeHistograms.setCountAndSum(h, p.getFlags(), p.getCount(), p.hasSum(), p.getSum());
        var exemplars = Exemplars.convert(p.getExemplarsList(), labeler.namer());
        out.histogram(PointLabeler.series(labeler.base(p.getAttributesList()), family), h.build(),
                Points.createdMillis(p.getStartTimeUnixNano(), time)).exemplars(exemplars);
        return time;
    }
}
