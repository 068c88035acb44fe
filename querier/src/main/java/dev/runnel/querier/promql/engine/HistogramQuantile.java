package dev.runnel.querier.promql.engine;

import dev.runnel.querier.promql.model.Labels;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * histogram_quantile over native histograms ({@link NativeHistograms#quantile}) and classic ones:
 * series grouped by their labels without {@code le}, interpolated linearly inside the bucket the
 * rank falls in (Prometheus' bucketQuantile).
 */
final class HistogramQuantile {
  private static final String BUCKET_LABEL = "le";

  private HistogramQuantile() {}

  static List<StepSeries> eval(Evaluator ev, double[] q, List<StepSeries> in) {
    VectorBuilder out = new VectorBuilder(ev.steps);
    // Native histograms first, then the classic ones, as Prometheus orders them.
    for (StepSeries s : in) {
      if (s.histograms == null) {
        continue;
      }
      StepSeries result = null;
      for (int t = 0; t < ev.steps; t++) {
        if (s.histogram(t) != null) {
          if (result == null) {
            result = out.series(s.labels.withoutMetricName());
          }
          out.set(result, t, NativeHistograms.quantile(q[t], s.histogram(t)));
        }
      }
    }
    // Grouping keeps the metric name, so two histograms of different names stay apart (and then
    // collide in the output, which is an error as in Prometheus).
    Map<Labels, List<Integer>> groups = new HashMap<>();
    List<Labels> order = new ArrayList<>();
    double[] bounds = new double[in.size()];
    for (int i = 0; i < in.size(); i++) {
      Labels l = in.get(i).labels;
      String le = l.get(BUCKET_LABEL);
      double bound;
      try {
        bound = parseBound(le);
      } catch (NumberFormatException e) {
        continue; // not a bucket: ignored, as Prometheus does
      }
      bounds[i] = bound;
      Labels key = l.drop(Set.of(BUCKET_LABEL), false);
      List<Integer> members = groups.get(key);
      if (members == null) {
        members = new ArrayList<>();
        groups.put(key, members);
        order.add(key);
      }
      members.add(i);
    }
    double[] upper = new double[in.size()];
    double[] counts = new double[in.size()];
    for (Labels key : order) {
      List<Integer> members = groups.get(key);
      StepSeries result = null;
      for (int t = 0; t < ev.steps; t++) {
        int n = 0;
        for (int i : members) {
          if (in.get(i).hasFloat(t)) {
            upper[n] = bounds[i];
            counts[n] = in.get(i).values[t];
            n++;
          }
        }
        if (n == 0) {
          continue;
        }
        if (result == null) {
          result = out.series(key.withoutMetricName());
        }
        out.set(result, t, bucketQuantile(q[t], upper, counts, n));
      }
    }
    return out.build(ev.ctx);
  }

  private static double parseBound(String le) {
    return switch (le) {
      case "+Inf", "Inf", "+inf", "inf" -> Double.POSITIVE_INFINITY;
      case "-Inf", "-inf" -> Double.NEGATIVE_INFINITY;
      default -> Double.parseDouble(le);
    };
  }

  static double bucketQuantile(double q, double[] upper, double[] counts, int n) {
    if (Double.isNaN(q)) {
      return Double.NaN;
    }
    if (q < 0) {
      return Double.NEGATIVE_INFINITY;
    }
    if (q > 1) {
      return Double.POSITIVE_INFINITY;
    }
    sortByBound(upper, counts, n);
    if (upper[n - 1] != Double.POSITIVE_INFINITY) {
      return Double.NaN;
    }
    n = coalesce(upper, counts, n);
    double max = Double.NEGATIVE_INFINITY;
    for (int i = 0; i < n; i++) {
      // Counts must not decrease with the bound; a smaller count is lifted to the running maximum.
      if (counts[i] > max) {
        max = counts[i];
      } else if (counts[i] < max) {
        counts[i] = max;
      }
    }
    if (n < 2) {
      return Double.NaN;
    }
    double observations = counts[n - 1];
    if (observations == 0) {
      return Double.NaN;
    }
    double rank = q * observations;
    int b = 0;
    while (b < n - 1 && counts[b] < rank) {
      b++;
    }
    if (b == n - 1) {
      return upper[n - 2];
    }
    if (b == 0 && upper[0] <= 0) {
      return upper[0];
    }
    double bucketStart = 0;
    double bucketEnd = upper[b];
    double count = counts[b];
    if (b > 0) {
      bucketStart = upper[b - 1];
      count -= counts[b - 1];
      rank -= counts[b - 1];
    }
    return bucketStart + (bucketEnd - bucketStart) * (rank / count);
  }

  private static void sortByBound(double[] upper, double[] counts, int n) {
    Integer[] idx = new Integer[n];
    for (int i = 0; i < n; i++) {
      idx[i] = i;
    }
    Arrays.sort(idx, (a, b) -> Double.compare(upper[a], upper[b]));
    double[] u = Arrays.copyOf(upper, n);
    double[] c = Arrays.copyOf(counts, n);
    for (int i = 0; i < n; i++) {
      upper[i] = u[idx[i]];
      counts[i] = c[idx[i]];
    }
  }

  /** Merges buckets with the same bound by adding their counts; returns the new length. */
  private static int coalesce(double[] upper, double[] counts, int n) {
    int m = 0;
    for (int i = 0; i < n; i++) {
      if (m > 0 && upper[m - 1] == upper[i]) {
        counts[m - 1] += counts[i];
      } else {
        upper[m] = upper[i];
        counts[m] = counts[i];
        m++;
      }
    }
    return m;
  }
}
