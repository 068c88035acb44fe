package dev.runnel.querier.promql.engine;

/** The φ-quantile by linear interpolation between the closest ranks, as in Prometheus. */
final class Quantiles {
  private Quantiles() {}

  /** The quantile of the first n values; sorts them in place. */
  static double quantile(double q, double[] values, int n) {
    if (n == 0 || Double.isNaN(q)) {
      return Double.NaN;
    }
    if (q < 0) {
      return Double.NEGATIVE_INFINITY;
    }
    if (q > 1) {
      return Double.POSITIVE_INFINITY;
    }
    RangeFunctions.sortNaNFirst(values, n);
    double rank = q * (n - 1);
    double lower = Math.max(0, Math.floor(rank));
    double upper = Math.min(n - 1, lower + 1);
    double weight = rank - Math.floor(rank);
    return values[(int) lower] * (1 - weight) + values[(int) upper] * weight;
  }
}
