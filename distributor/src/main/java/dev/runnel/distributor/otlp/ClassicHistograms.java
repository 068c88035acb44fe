package dev.runnel.distributor.otlp;

import dev.runnel.distributor.write.Exemplar;
import io.opentelemetry.proto.metrics.v1.HistogramDataPoint;
import java.util.List;
import java.util.TreeMap;

/**
 * Explicit-bucket histogram points as classic Prometheus histograms: {@code _bucket} series with
 * cumulative counts per {@code le} (the last, {@code +Inf}, is the point's count), {@code _count},
 * and {@code _sum} when the point has one. Each exemplar goes to the first bucket whose bound is
 * not below its value.
 */
final class ClassicHistograms {

    private ClassicHistograms() {
    }

    static long add(HistogramDataPoint p, String family, PointLabeler labeler, SeriesSet out) throws RejectedPoint {
        ExplicitBounds.validate(p);
        long time = Points.millis(p.getTimeUnixNano());
        long created = Points.createdMillis(p.getStartTimeUnixNano(), time);
        boolean stale = Points.noRecordedValue(p.getFlags());
        List<Exemplar> exemplars = Exemplars.convert(p.getExemplarsList(), labeler.namer());
        TreeMap<String, String> base = labeler.base(p.getAttributesList());

        if (p.hasSum()) {
            out.sample(PointLabeler.series(base, family + "_sum"), time, stale ? Points.STALE_NAN : p.getSum(), created);
        }
        double count = stale ? Points.STALE_NAN : Points.unsigned(p.getCount());
        out.sample(PointLabeler.series(base, family + "_count"), time, count, created);

        String bucket = family + "_bucket";
        int bounds = p.getBucketCountsCount() == 0 ? 0 : p.getExplicitBoundsCount();
        SeriesSet.Series[] buckets = new SeriesSet.Series[bounds + 1];
        long cumulative = 0;
        for (int i = 0; i < bounds; i++) {
            cumulative += p.getBucketCounts(i);
            buckets[i] = out.sample(PointLabeler.series(base, bucket, "le", FloatFormat.plain(p.getExplicitBounds(i))),
                    time, stale ? Points.STALE_NAN : Points.unsigned(cumulative), created);
        }
        buckets[bounds] = out.sample(PointLabeler.series(base, bucket, "le", "+Inf"), time, count, created);

        for (Exemplar e : exemplars) {
            if (Double.isNaN(e.value())) {
                continue; // in no bucket
            }
            int b = 0;
            while (b < bounds && e.value() > p.getExplicitBounds(b)) {
                b++;
            }
            buckets[b].exemplar(e);
        }
        return time;
    }
}
