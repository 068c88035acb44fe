package dev.runnel.ingester.head;

import dev.runnel.ingester.query.MetricMetadata;
import dev.runnel.proto.prometheus.write.v2.Histogram;

/** {@link Appender#direct()}: applies on the caller's thread. */
final class DirectAppender implements Appender {

    private TenantHead head;
    private MemSeries series;

    @Override
    public void series(TenantHead head, String[] pairs, int length, long hash) {
        this.head = head;
        this.series = head.series(pairs, 0, length, hash);
    }

    @Override
    public void append(long t, double v) {
        head.append(series, t, v);
    }

    @Override
    public void appendHistogram(long t, Histogram h) {
        head.appendHistogram(series, t, h);
    }

    @Override
    public void setMetadata(TenantHead head, MetricMetadata m) {
        head.setMetadata(m);
    }
}
