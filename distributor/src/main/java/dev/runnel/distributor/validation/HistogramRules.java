package dev.runnel.distributor.validation;

import dev.runnel.proto.prometheus.write.v2.BucketSpan;
import dev.runnel.proto.prometheus.write.v2.Histogram;
import java.util.List;

/**
 * Whether a native histogram is one the TSDB can store, checked as Prometheus' own
 * {@code Histogram.Validate} does: a known schema, spans that cover exactly the buckets sent,
 * integer and float counts not mixed, no negative counts, and no more observations in the
 * buckets than the count. Stale markers (a stale NaN sum) pass.
 */
final class HistogramRules {

    /** The schema of native histograms with custom bucket boundaries (NHCB). */
    static final int CUSTOM_BUCKETS_SCHEMA = -53;

    private HistogramRules() {
    }

    static boolean hasValidSchema(Histogram h) {
        int schema = h.getSchema();
        return (schema >= -4 && schema <= 8) || schema == CUSTOM_BUCKETS_SCHEMA;
    }

    /** What is wrong with a histogram of a valid schema, or null if nothing is. */
    static String problem(Histogram h) {
        boolean isFloat = h.getCountCase() == Histogram.CountCase.COUNT_FLOAT;
        if (isFloat ? h.getPositiveDeltasCount() + h.getNegativeDeltasCount() > 0
                : h.getPositiveCountsCount() + h.getNegativeCountsCount() > 0) {
            return isFloat ? "a float histogram has integer bucket deltas" : "an integer histogram has float bucket counts";
        }
        if (h.getSchema() == CUSTOM_BUCKETS_SCHEMA) {
            if (h.getNegativeSpansCount() > 0 || h.getNegativeDeltasCount() + h.getNegativeCountsCount() > 0) {
                return "a histogram with custom buckets has negative buckets";
            }
            for (int i = 1; i < h.getCustomValuesCount(); i++) {
                if (!(h.getCustomValues(i) > h.getCustomValues(i - 1))) {
                    return "custom bucket boundaries are not increasing";
                }
            }
        } else if (h.getCustomValuesCount() > 0) {
            return "an exponential histogram (schema " + h.getSchema() + ") has custom bucket boundaries";
        }
        String problem = spans("positive", h.getPositiveSpansList(), isFloat ? h.getPositiveCountsCount() : h.getPositiveDeltasCount());
        if (problem == null) {
            problem = spans("negative", h.getNegativeSpansList(), isFloat ? h.getNegativeCountsCount() : h.getNegativeDeltasCount());
        }
        if (problem != null) {
            return problem;
        }
        return isFloat ? floatCounts(h) : intCounts(h);
    }

    private static String spans(String side, List<BucketSpan> spans, int buckets) {
        long covered = 0;
        for (int i = 0; i < spans.size(); i++) {
            if (i > 0 && spans.get(i).getOffset() < 0) {
                return side + " span " + i + " has a negative offset " + spans.get(i).getOffset();
            }
            covered += Integer.toUnsignedLong(spans.get(i).getLength());
        }
        if (covered != buckets) {
            return side + " spans cover " + covered + " buckets but " + buckets + " bucket counts were sent";
        }
        return null;
    }

    private static String intCounts(Histogram h) {
        long observations = h.getZeroCountInt();
        for (int side = 0; side < 2; side++) {
            List<Long> deltas = side == 0 ? h.getPositiveDeltasList() : h.getNegativeDeltasList();
            long count = 0;
            for (int i = 0; i < deltas.size(); i++) {
                count += deltas.get(i);
                if (count < 0) {
                    return (side == 0 ? "positive" : "negative") + " bucket " + i + " has a negative count " + count;
                }
                observations += count;
            }
        }
        // Unsigned: a count above 2^63 is not one any client sends; it reads as negative and fails.
        if (h.getCountInt() < 0 || observations > h.getCountInt()) {
            return "the count " + Long.toUnsignedString(h.getCountInt()) + " is less than the " + observations
                    + " observations in the buckets";
        }
        return null;
    }

    private static String floatCounts(Histogram h) {
        if (h.getZeroCountFloat() < 0) {
            return "the zero bucket has a negative count " + h.getZeroCountFloat();
        }
        double observations = h.getZeroCountFloat();
        for (int side = 0; side < 2; side++) {
            List<Double> counts = side == 0 ? h.getPositiveCountsList() : h.getNegativeCountsList();
            for (int i = 0; i < counts.size(); i++) {
                if (counts.get(i) < 0) {
                    return (side == 0 ? "positive" : "negative") + " bucket " + i + " has a negative count " + counts.get(i);
                }
                observations += counts.get(i);
            }
        }
        // Float counts are sums of weights and rounding may leave them a little apart: only a clear excess fails.
        if (observations > h.getCountFloat() * (1 + 1e-9) + 1e-9) {
            return "the count " + h.getCountFloat() + " is less than the " + observations + " observations in the buckets";
        }
        return null;
    }
}
