package dev.runnel.distributor.otlp;

import dev.runnel.proto.prometheus.write.v2.Histogram;

/** What the two native-histogram converters share: count, sum and the stale marker. */
final class NativeHistograms {

    private NativeHistograms() {
    }

    /**
     * Count and sum; for a point without a recorded value, the stale marker in both, as
     * Prometheus' translator writes it (readers test the sum).
     */
    static void setCountAndSum(Histogram.Builder h, int flags, long count, boolean hasSum, double sum) {
        if (Points.noRecordedValue(flags)) {
            h.setSum(Points.STALE_NAN).setCountInt(Points.STALE_NAN_BITS);
        } else {
            h.setCountInt(count);
            if (hasSum) {
                h.setSum(sum);
            }
        }
    }
}
