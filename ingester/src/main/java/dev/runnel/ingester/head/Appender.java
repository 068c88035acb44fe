package dev.runnel.ingester.head;

import dev.runnel.ingester.query.MetricMetadata;
import dev.runnel.proto.prometheus.write.v2.Histogram;

/**
 * Where the record decoder sends what it read: a series by its labels, then that series' samples
 * and histograms; and metric metadata. Applied to the heads in the order given, as
 * {@link TenantHead#seriesRef}, {@link TenantHead#append(int, long, double)},
 * {@link TenantHead#appendHistogram} and {@link TenantHead#setMetadata} would. {@link #direct()}
 * applies them at once on the caller's thread; {@link PipelinedAppender} on a thread of its own.
 */
public interface Appender {

    /** An appender that applies at once, on the calling thread. */
    static Appender direct() {
        return new DirectAppender();
    }

    /**
     * The series the following samples and histograms go to: the first {@code length} strings of
     * {@code pairs}, {@link TenantHead#normalize}d, with their {@link dev.runnel.ingester.labels.Labels#hash};
     * created if new (or, beyond the series limit, its samples discarded). The strings should be
     * {@code head}'s ({@link TenantHead#intern}); they are copied before this returns.
     */
    void series(TenantHead head, String[] pairs, int length, long hash);

    /** A float sample of the current series. */
    void append(long t, double v);

    /** A histogram sample of the current series. */
    void appendHistogram(long t, Histogram h);

    /** A metric family's metadata ({@link TenantHead#setMetadata}). */
    void setMetadata(TenantHead head, MetricMetadata m);
}
