package dev.runnel.distributor.otlp;

import io.opentelemetry.proto.metrics.v1.SummaryDataPoint;
import java.util.TreeMap;

/** Summary points: {@code _sum}, {@code _count}, and one series per quantile labelled {@code quantile}. */
final class Summaries {

    private Summaries() {
    }

    static long add(SummaryDataPoint p, String family, PointLabeler labeler, SeriesSet out) throws RejectedPoint {
        long time = Points.millis(p.getTimeUnixNano());
        long created = Points.createdMillis(p.getStartTimeUnixNano(), time);
        boolean stale = Points.noRecordedValue(p.getFlags());
        TreeMap<String, String> base = labeler.base(p.getAttributesList());
        out.sample(PointLabeler.series(base, family + "_sum"), time, stale ? Points.STALE_NAN : p.getSum(), created);
        out.sample(PointLabeler.series(base, family + "_count"), time,
                stale ? Points.STALE_NAN : Points.unsigned(p.getCount()), created);
        for (SummaryDataPoint.ValueAtQuantile q : p.getQuantileValuesList()) {
            out.sample(PointLabeler.series(base, family, "quantile", FloatFormat.plain(q.getQuantile())), time,
                    stale ? Points.STALE_NAN : q.getValue(), created);
        }
        return time;
    }
}
