package dev.runnel.querier.promql.engine;

import dev.runnel.querier.promql.value.FloatHistogram;
import java.util.Arrays;
import java.util.HashMap;
import java.util.Map;

/** The functions of a range vector, following Prometheus 2.42's functions.go. */
final class RangeFunctions {
  private static final Map<String, RangeFunction> TABLE = new HashMap<>();

  static {
    TABLE.put("rate", w -> extrapolatedRate(w, true, true));
    TABLE.put("increase", w -> extrapolatedRate(w, true, false));
    TABLE.put("delta", w -> extrapolatedRate(w, false, false));
    TABLE.put("irate", w -> instantValue(w, true));
    TABLE.put("idelta", w -> instantValue(w, false));
    TABLE.put("avg_over_time", w -> w.hs == null ? avgOverTime(w) : HistogramRanges.avgOverTime(w, RangeFunctions::avgOverTime));
    TABLE.put("sum_over_time", w -> w.hs == null ? sumOverTime(w) : HistogramRanges.sumOverTime(w, RangeFunctions::sumOverTime));
    TABLE.put("count_over_time", w -> result(w, w.count()));
    TABLE.put("last_over_time", RangeFunctions::lastOverTime);
    TABLE.put("present_over_time", w -> result(w, 1));
    // The rest look at float samples only: histogram samples are ignored, as in Prometheus 2.4x.
    TABLE.put("changes", floatsOnly(RangeFunctions::changes));
    TABLE.put("resets", floatsOnly(RangeFunctions::resets));
    TABLE.put("deriv", floatsOnly(RangeFunctions::deriv));
    TABLE.put("predict_linear", floatsOnly(RangeFunctions::predictLinear));
    TABLE.put("holt_winters", floatsOnly(RangeFunctions::holtWinters));
    TABLE.put("min_over_time", floatsOnly(RangeFunctions::minOverTime));
    TABLE.put("max_over_time", floatsOnly(RangeFunctions::maxOverTime));
    TABLE.put("stddev_over_time", floatsOnly(w -> result(w, Math.sqrt(variance(w)))));
    TABLE.put("stdvar_over_time", floatsOnly(w -> result(w, variance(w))));
    TABLE.put("quantile_over_time", floatsOnly(RangeFunctions::quantileOverTime));
  }

  private RangeFunctions() {}

  static RangeFunction get(String name) {
    return TABLE.get(name);
  }

  /** Runs a float function over the window's float samples only; no floats, no result. */
  private static RangeFunction floatsOnly(RangeFunction f) {
    return w -> {
      if (w.hs == null) {
        return f.apply(w);
      }
      int n = 0;
      if (w.floatTs.length < w.count()) {
        w.floatTs = new long[Math.max(w.count(), 2 * w.floatTs.length)];
        w.floatVs = new double[w.floatTs.length];
      }
      for (int i = w.from; i < w.to; i++) {
        if (w.hs[i] == null) {
          w.floatTs[n] = w.ts[i];
          w.floatVs[n++] = w.vs[i];
        }
      }
      if (n == 0) {
        return false;
      }
      long[] ts = w.ts;
      double[] vs = w.vs;
      FloatHistogram[] hs = w.hs;
      int from = w.from;
      int to = w.to;
      w.ts = w.floatTs;
      w.vs = w.floatVs;
      w.hs = null;
      w.from = 0;
      w.to = n;
      try {
        return f.apply(w);
      } finally {
        w.ts = ts;
        w.vs = vs;
        w.hs = hs;
        w.from = from;
        w.to = to;
      }
    };
  }

  private static boolean lastOverTime(RangeWindow w) {
    int last = w.to - 1;
    if (w.hs != null && w.hs[last] != null) {
      w.resultHistogram = w.hs[last];
      return true;
    }
    return result(w, w.vs[last]);
  }

  private static boolean result(RangeWindow w, double v) {
    w.result = v;
    return true;
  }

  /** rate, increase and delta: the change over the window, extrapolated towards its edges. */
  private static boolean extrapolatedRate(RangeWindow w, boolean isCounter, boolean isRate) {
    if (w.count() < 2) {
      return false;
    }
    long[] ts = w.ts;
    double[] vs = w.vs;
    int first = w.from;
    int last = w.to - 1;
    FloatHistogram histogram = null;
    double result = 0;
    int histograms = w.histogramCount();
    if (histograms == w.count()) {
      histogram = HistogramRanges.increase(w, isCounter);
    } else if (histograms > 0) {
      return false; // a mix of floats and histograms has no rate
    } else {
      result = vs[last] - vs[first];
      if (isCounter) {
        double prev = 0;
        for (int i = first; i <= last; i++) {
          if (vs[i] < prev) {
            result += prev; // a counter reset: the counter restarted from zero
          }
          prev = vs[i];
        }
      }
    }
    double durationToStart = (ts[first] - w.rangeStart) / 1000.0;
    double durationToEnd = (w.rangeEnd - ts[last]) / 1000.0;
    double sampledInterval = (ts[last] - ts[first]) / 1000.0;
    double averageBetweenSamples = sampledInterval / (last - first);
    // Prometheus does not (yet) stop histograms' extrapolation at zero: result stays 0 for them.
    if (isCounter && result > 0 && vs[first] >= 0) {
      // A counter cannot go below zero: do not extrapolate the start past the zero point.
      double durationToZero = sampledInterval * (vs[first] / result);
      if (durationToZero < durationToStart) {
        durationToStart = durationToZero;
      }
    }
    double threshold = averageBetweenSamples * 1.1;
    double extrapolateTo = sampledInterval;
    extrapolateTo += durationToStart < threshold ? durationToStart : averageBetweenSamples / 2;
    extrapolateTo += durationToEnd < threshold ? durationToEnd : averageBetweenSamples / 2;
    // One factor, as Prometheus computes it, so that results agree to the last bit.
    double factor = extrapolateTo / sampledInterval;
    if (isRate) {
      factor /= w.rangeMillis / 1000.0;
    }
    if (histogram != null) {
      w.resultHistogram = histogram.times(factor);
      return true;
    }
    return result(w, result * factor);
  }

  /** irate and idelta: from the last two samples only. */
  private static boolean instantValue(RangeWindow w, boolean isRate) {
    if (w.count() < 2) {
      return false;
    }
    int last = w.to - 1;
    if (w.hs != null && (w.hs[last] != null || w.hs[last - 1] != null)) {
      return HistogramRanges.instantValue(w, isRate);
    }
    double lastV = w.vs[last];
    double prevV = w.vs[last - 1];
    double result = isRate && lastV < prevV ? lastV : lastV - prevV;
    long sampledInterval = w.ts[last] - w.ts[last - 1];
    if (sampledInterval == 0) {
      return false;
    }
    if (isRate) {
      result /= sampledInterval / 1000.0;
    }
    return result(w, result);
  }

  private static boolean changes(RangeWindow w) {
    int changes = 0;
    double prev = w.vs[w.from];
    for (int i = w.from + 1; i < w.to; i++) {
      double cur = w.vs[i];
      if (cur != prev && !(Double.isNaN(cur) && Double.isNaN(prev))) {
        changes++;
      }
      prev = cur;
    }
    return result(w, changes);
  }

  private static boolean resets(RangeWindow w) {
    int resets = 0;
    double prev = w.vs[w.from];
    for (int i = w.from + 1; i < w.to; i++) {
      double cur = w.vs[i];
      if (cur < prev) {
        resets++;
      }
      prev = cur;
    }
    return result(w, resets);
  }

  private static boolean deriv(RangeWindow w) {
    if (w.count() < 2) {
      return false;
    }
    // Intercept at the first sample's time keeps the numbers small and the sums precise.
    return result(w, LinearRegression.slope(w, w.ts[w.from]));
  }

  private static boolean predictLinear(RangeWindow w) {
    if (w.count() < 2) {
      return false;
    }
    double slope = LinearRegression.slope(w, w.stepTime);
    double intercept = LinearRegression.intercept(w, w.stepTime, slope);
    return result(w, intercept + slope * w.args[0]);
  }

  private static boolean holtWinters(RangeWindow w) {
    double sf = w.args[0];
    double tf = w.args[1];
    if (!(sf > 0 && sf < 1)) {
      throw QueryException.execution("invalid smoothing factor. Expected: 0 < sf < 1, got: " + format6(sf));
    }
    if (!(tf > 0 && tf < 1)) {
      throw QueryException.execution("invalid trend factor. Expected: 0 < tf < 1, got: " + format6(tf));
    }
    int n = w.count();
    if (n < 2) {
      return false;
    }
    double[] v = w.vs;
    int f = w.from;
    double s0 = 0;
    double s1 = v[f];
    double b = v[f + 1] - v[f];
    for (int i = 1; i < n; i++) {
      double x = sf * v[f + i];
      if (i > 1) {
        b = tf * (s1 - s0) + (1 - tf) * b;
      }
      double y = (1 - sf) * (s1 + b);
      s0 = s1;
      s1 = x + y;
    }
    return result(w, s1);
  }

  private static String format6(double v) {
    return String.format(java.util.Locale.ROOT, "%f", v);
  }

  private static boolean avgOverTime(RangeWindow w) {
    double mean = 0;
    double count = 0;
    for (int i = w.from; i < w.to; i++) {
      double v = w.vs[i];
      count++;
      if (Double.isInfinite(mean)) {
        if (Double.isInfinite(v) && (mean > 0) == (v > 0)) {
          continue; // both infinite with the same sign: the mean stays
        }
        if (!Double.isInfinite(v) && !Double.isNaN(v)) {
          continue; // a finite value cannot move an infinite mean
        }
      }
      mean += v / count - mean / count;
    }
    return result(w, mean);
  }

  private static boolean sumOverTime(RangeWindow w) {
    double sum = 0;
    for (int i = w.from; i < w.to; i++) {
      sum += w.vs[i];
    }
    return result(w, sum);
  }

  private static boolean minOverTime(RangeWindow w) {
    double min = w.vs[w.from];
    for (int i = w.from + 1; i < w.to; i++) {
      double v = w.vs[i];
      if (v < min || Double.isNaN(min)) {
        min = v;
      }
    }
    return result(w, min);
  }

  private static boolean maxOverTime(RangeWindow w) {
    double max = w.vs[w.from];
    for (int i = w.from + 1; i < w.to; i++) {
      double v = w.vs[i];
      if (v > max || Double.isNaN(max)) {
        max = v;
      }
    }
    return result(w, max);
  }

  /** Population variance by Welford's method. */
  private static double variance(RangeWindow w) {
    double count = 0;
    double mean = 0;
    double aux = 0;
    for (int i = w.from; i < w.to; i++) {
      double v = w.vs[i];
      count++;
      double delta = v - mean;
      mean += delta / count;
      aux += delta * (v - mean);
    }
    return aux / count;
  }

  private static boolean quantileOverTime(RangeWindow w) {
    int n = w.count();
    if (w.scratch.length < n) {
      w.scratch = new double[Math.max(n, 2 * w.scratch.length)];
    }
    System.arraycopy(w.vs, w.from, w.scratch, 0, n);
    return result(w, Quantiles.quantile(w.args[0], w.scratch, n));
  }

  /** Least squares over a window, with x in seconds relative to an intercept time. */
  static final class LinearRegression {
    private LinearRegression() {}

    static double slope(RangeWindow w, long interceptTime) {
      double n = 0;
      double sumX = 0;
      double sumY = 0;
      double sumXY = 0;
      double sumX2 = 0;
      double initY = w.vs[w.from];
      boolean constY = true;
      for (int i = w.from; i < w.to; i++) {
        double y = w.vs[i];
        if (constY && i > w.from && y != initY) {
          constY = false;
        }
        n++;
        double x = (w.ts[i] - interceptTime) / 1e3;
        sumX += x;
        sumY += y;
        sumXY += x * y;
        sumX2 += x * x;
      }
      if (constY) {
        return Double.isInfinite(initY) ? Double.NaN : 0;
      }
      double covXY = sumXY - sumX * sumY / n;
      double varX = sumX2 - sumX * sumX / n;
      return covXY / varX;
    }

    static double intercept(RangeWindow w, long interceptTime, double slope) {
      double n = 0;
      double sumX = 0;
      double sumY = 0;
      double initY = w.vs[w.from];
      boolean constY = true;
      for (int i = w.from; i < w.to; i++) {
        double y = w.vs[i];
        if (constY && i > w.from && y != initY) {
          constY = false;
        }
        n++;
        sumX += (w.ts[i] - interceptTime) / 1e3;
        sumY += y;
      }
      if (constY) {
        return Double.isInfinite(initY) ? Double.NaN : initY;
      }
      return sumY / n - slope * sumX / n;
    }
  }

  /** Sorts a prefix of an array with NaN first, as Prometheus' quantile code does. */
  static void sortNaNFirst(double[] a, int n) {
    Arrays.sort(a, 0, n); // Java sorts NaN last
    int nans = 0;
    for (int i = n - 1; i >= 0 && Double.isNaN(a[i]); i--) {
      nans++;
    }
    if (nans > 0) {
      System.arraycopy(a, 0, a, nans, n - nans);
      Arrays.fill(a, 0, nans, Double.NaN);
    }
  }
}
