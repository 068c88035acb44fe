package dev.runnel.distributor.otlp;

import io.opentelemetry.proto.metrics.v1.HistogramDataPoint;

/** The checks an explicit-bucket histogram point must pass before it becomes buckets of either kind. */
final class ExplicitBounds {

    private ExplicitBounds() {
    }

    static void validate(HistogramDataPoint p) throws RejectedPoint {
        int bounds = p.getExplicitBoundsCount();
        int counts = p.getBucketCountsCount();
        if (counts != 0 && counts != bounds + 1) {
            throw new RejectedPoint("a histogram data point has " + counts + " bucket counts for " + bounds
                    + " explicit bounds; it must have " + (bounds + 1) + " (one more than bounds) or none");
        }
        for (int i = 0; i < bounds; i++) {
            double bound = p.getExplicitBounds(i);
            if (!Double.isFinite(bound) || (i > 0 && bound <= p.getExplicitBounds(i - 1))) {
                throw new RejectedPoint("histogram explicit bounds must be finite and strictly increasing: "
                        + p.getExplicitBoundsList());
            }
        }
    }
}
