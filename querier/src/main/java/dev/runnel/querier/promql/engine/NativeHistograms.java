package dev.runnel.querier.promql.engine;

import dev.runnel.querier.promql.value.FloatHistogram;
import dev.runnel.querier.promql.value.FloatHistogram.Bucket;
import java.util.List;
import java.util.function.ToDoubleFunction;

/**
 * The functions that read native histograms: {@code histogram_count}, {@code histogram_sum},
 * {@code histogram_fraction} and the native part of {@code histogram_quantile}. Float samples
 * are ignored by all of them; the metric name is dropped. Estimates interpolate linearly inside
 * a bucket, as Prometheus 2.42 does.
 */
final class NativeHistograms {
  private NativeHistograms() {}

  /** One float per histogram sample; float samples give nothing. */
  static List<StepSeries> map(Evaluator ev, List<StepSeries> in, StepHistogramFunction f) {
    VectorBuilder out = new VectorBuilder(ev.steps);
    for (StepSeries s : in) {
      if (s.histograms == null) {
        continue;
      }
      ev.ctx.checkpoint();
      StepSeries target = null;
      for (int t = 0; t < ev.steps; t++) {
        FloatHistogram h = s.histogram(t);
        if (h == null) {
          continue;
        }
        if (target == null) {
          target = out.series(s.labels.withoutMetricName());
        }
        out.set(target, t, f.apply(t, h));
      }
    }
    return out.build(ev.ctx);
  }

  static List<StepSeries> map(Evaluator ev, List<StepSeries> in, ToDoubleFunction<FloatHistogram> f) {
    return map(ev, in, (t, h) -> f.applyAsDouble(h));
  }

  @FunctionalInterface
  interface StepHistogramFunction {
    double apply(int step, FloatHistogram h);
  }

  /** The {@code q}-quantile of the observations, interpolated linearly inside its bucket. */
  static double quantile(double q, FloatHistogram h) {
    if (q < 0) {
      return Double.NEGATIVE_INFINITY;
    }
    if (q > 1) {
      return Double.POSITIVE_INFINITY;
    }
    if (h.count() == 0 || Double.isNaN(q)) {
      return Double.NaN;
    }
    double rank = q * h.count();
    double count = 0;
    Bucket bucket = null;
    for (Bucket b : h.allBuckets()) {
      bucket = b;
      count += b.count();
      if (count >= rank) {
        break;
      }
    }
    if (bucket == null) {
      return Double.NaN; // a count but no bucket: only NaN observations
    }
    double lower = zeroAdjustedLower(bucket, h);
    double upper = zeroAdjustedUpper(bucket, h);
    // Rounding can make the buckets' counts add up to more than the histogram's count.
    count = Math.min(count, h.count());
    if (count < rank) {
      return upper; // the rank is beyond every bucket (NaN observations): the highest bound
    }
    rank -= count - bucket.count();
    return lower + (upper - lower) * (rank / bucket.count());
  }

  /**
   * The fraction of observations between {@code lower} and {@code upper}, interpolating
   * linearly inside the buckets that hold either bound.
   */
  static double fraction(double lower, double upper, FloatHistogram h) {
    if (h.count() == 0 || Double.isNaN(lower) || Double.isNaN(upper)) {
      return Double.NaN;
    }
    if (lower >= upper) {
      return 0;
    }
    double rank = 0;
    double lowerRank = 0;
    double upperRank = 0;
    boolean lowerSet = false;
    boolean upperSet = false;
    for (Bucket b : h.allBuckets()) {
      double bl = zeroAdjustedLower(b, h);
      double bu = zeroAdjustedUpper(b, h);
      if (!lowerSet && bl >= lower) {
        lowerRank = rank;
        lowerSet = true;
      }
      if (!upperSet && bl >= upper) {
        upperRank = rank;
        upperSet = true;
      }
      if (lowerSet && upperSet) {
        break;
      }
      if (!lowerSet && bl < lower && bu > lower) {
        lowerRank = rank + b.count() * (lower - bl) / (bu - bl);
        lowerSet = true;
      }
      if (!upperSet && bl < upper && bu > upper) {
        upperRank = rank + b.count() * (upper - bl) / (bu - bl);
        upperSet = true;
      }
      if (lowerSet && upperSet) {
        break;
      }
      rank += b.count();
    }
    if (!lowerSet || lowerRank > h.count()) {
      lowerRank = h.count();
    }
    if (!upperSet || upperRank > h.count()) {
      upperRank = h.count();
    }
    return (upperRank - lowerRank) / h.count();
  }

  /** The zero bucket of a histogram with positive buckets only starts at 0, not at -threshold. */
  private static double zeroAdjustedLower(Bucket b, FloatHistogram h) {
    return b.lower() < 0 && b.upper() > 0 && !h.hasNegativeBuckets() && h.hasPositiveBuckets() ? 0 : b.lower();
  }

  /** The zero bucket of a histogram with negative buckets only ends at 0. */
  private static double zeroAdjustedUpper(Bucket b, FloatHistogram h) {
    return b.lower() < 0 && b.upper() > 0 && !h.hasPositiveBuckets() && h.hasNegativeBuckets() ? 0 : b.upper();
  }
}
