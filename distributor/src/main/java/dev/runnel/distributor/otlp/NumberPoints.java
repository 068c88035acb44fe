package dev.runnel.distributor.otlp;

import io.opentelemetry.proto.metrics.v1.NumberDataPoint;

/** Gauge and sum data points: one sample on the family's series. */
final class NumberPoints {

    private NumberPoints() {
    }

    /** @param counter true for monotonic sums, whose start time is the series' created timestamp */
    static long add(NumberDataPoint p, String family, boolean counter, PointLabeler labeler, SeriesSet out)
            throws RejectedPoint {
        double value = switch (p.getValueCase()) {
            case AS_DOUBLE -> p.getAsDouble();
            case AS_INT -> p.getAsInt();
            case VALUE_NOT_SET -> throw new RejectedPoint("a data point has no value (as_double or as_int)");
        };
        long time = Points.millis(p.getTimeUnixNano());
        var exemplars = Exemplars.convert(p.getExemplarsList(), labeler.namer());
        out.sample(PointLabeler.series(labeler.base(p.getAttributesList()), family), time,
                Points.noRecordedValue(p.getFlags()) ? Points.STALE_NAN : value,
                counter ? Points.createdMillis(p.getStartTimeUnixNano(), time) : 0).exemplars(exemplars);
        return time;
    }
}
