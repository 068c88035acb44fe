package dev.runnel.querier.promql.value;

import dev.runnel.querier.promql.model.StaleMarker;
import java.util.ArrayList;
import java.util.List;
import java.util.Objects;

/**
 * A native histogram with float counts, as PromQL evaluates it (Prometheus' FloatHistogram):
 * exponential buckets of base {@code 2^(2^-schema)}, a zero bucket {@code [-threshold,
 * threshold]}, a total count and a sum. Positive bucket {@code i} covers {@code (base^(i-1),
 * base^i]}, negative bucket {@code i} the mirror image.
 *
 * <p>Immutable: every operation returns a new histogram. Adding or subtracting histograms of
 * different schemas works at the lower resolution of the two, and widens the smaller zero bucket
 * to the larger one (swallowing the buckets it then covers), as Prometheus does. Counter resets
 * are detected from the data ({@link #detectReset}); reset hints are not carried.
 */
public final class FloatHistogram {
  /** The finest and coarsest exponential schemas Prometheus defines. */
  public static final int MIN_SCHEMA = -4;
  public static final int MAX_SCHEMA = 8;

  /** A run of consecutive buckets: the first span's offset is its first index, later ones the gap. */
  public record Span(int offset, int length) {}

  /** A bucket with its bounds, for quantiles and JSON; which bounds it includes depends on its side. */
  public record Bucket(double lower, double upper, boolean lowerInclusive, boolean upperInclusive, double count) {}

  private final int schema;
  private final double zeroThreshold;
  private final double zeroCount;
  private final double count;
  private final double sum;
  private final Buckets positive;
  private final Buckets negative;

  public FloatHistogram(int schema, double zeroThreshold, double zeroCount, double count, double sum,
      Span[] positiveSpans, double[] positiveBuckets, Span[] negativeSpans, double[] negativeBuckets) {
    this(checkSchema(schema), checkThreshold(zeroThreshold), zeroCount, count, sum, Buckets.fromSpans(positiveSpans, positiveBuckets),
        Buckets.fromSpans(negativeSpans, negativeBuckets));
  }

  private FloatHistogram(int schema, double zeroThreshold, double zeroCount, double count, double sum,
      Buckets positive, Buckets negative) {
    this.schema = schema;
    this.zeroThreshold = zeroThreshold;
    this.zeroCount = zeroCount;
    this.count = count;
    this.sum = sum;
    this.positive = positive;
    this.negative = negative;
  }

  private static int checkSchema(int schema) {
    if (schema < MIN_SCHEMA || schema > MAX_SCHEMA) {
      throw new IllegalArgumentException("histogram schema must be between " + MIN_SCHEMA + " and " + MAX_SCHEMA
          + ", got " + schema);
    }
    return schema;
  }

  private static double checkThreshold(double threshold) {
    if (!(threshold >= 0) || Double.isInfinite(threshold)) {
      throw new IllegalArgumentException("histogram zero threshold must be finite and not negative, got " + threshold);
    }
    return threshold;
  }

  public int schema() {
    return schema;
  }

  public double zeroThreshold() {
    return zeroThreshold;
  }

  public double zeroCount() {
    return zeroCount;
  }

  public double count() {
    return count;
  }

  public double sum() {
    return sum;
  }

  public Span[] positiveSpans() {
    return positive.spans();
  }

  public double[] positiveBuckets() {
    return positive.count.clone();
  }

  public Span[] negativeSpans() {
    return negative.spans();
  }

  public double[] negativeBuckets() {
    return negative.count.clone();
  }

  /** The count of positive bucket {@code index}, 0 when the histogram does not have it. */
  public double positiveBucket(int index) {
    return positive.count(index);
  }

  /** The count of negative bucket {@code index}, 0 when the histogram does not have it. */
  public double negativeBucket(int index) {
    return negative.count(index);
  }

  /** Whether this is the staleness marker of a histogram series (its sum is the stale NaN). */
  public boolean isStale() {
    return StaleMarker.is(sum);
  }

  /** The upper bound of positive bucket {@code index} (the lower bound of {@code index + 1}). */
  public static double bound(int index, int schema) {
    if (schema < 0) {
      return Math.scalb(1.0, index << -schema);
    }
    int fraction = index & ((1 << schema) - 1);
    int exponent = (index >> schema) + 1;
    // 2^(fraction / 2^schema) in [1, 2), halved to a mantissa in [0.5, 1) as Prometheus' table holds.
    double mantissa = fraction == 0 ? 0.5 : Math.pow(2, (double) fraction / (1 << schema)) / 2;
    return Math.scalb(mantissa, exponent);
  }

  public FloatHistogram plus(FloatHistogram other) {
    return add(other, 1);
  }

  public FloatHistogram minus(FloatHistogram other) {
    return add(other, -1);
  }

  private FloatHistogram add(FloatHistogram other, double sign) {
    int target = Math.min(schema, other.schema);
    FloatHistogram a = toSchema(target);
    FloatHistogram b = other.toSchema(target);
    double bZeroCount = b.zeroCount;
    double bThreshold = b.zeroThreshold;
    while (bThreshold != a.zeroThreshold) {
      if (a.zeroThreshold > bThreshold) {
        Zero z = b.zeroForLargerThreshold(a.zeroThreshold);
        bZeroCount = z.count;
        bThreshold = z.threshold;
      }
      if (bThreshold > a.zeroThreshold) {
        a = a.withZeroThreshold(bThreshold);
      }
    }
    return new FloatHistogram(target, a.zeroThreshold, a.zeroCount + sign * bZeroCount, a.count + sign * b.count,
        a.sum + sign * b.sum, a.positive.add(b.positive, sign, target, a.zeroThreshold),
        a.negative.add(b.negative, sign, target, a.zeroThreshold));
  }

  /** Every count and the sum times {@code factor}. */
  public FloatHistogram times(double factor) {
    return new FloatHistogram(schema, zeroThreshold, zeroCount * factor, count * factor, sum * factor,
        positive.scale(factor), negative.scale(factor));
  }

  /** Every count and the sum divided by {@code divisor}. */
  public FloatHistogram dividedBy(double divisor) {
    return new FloatHistogram(schema, zeroThreshold, zeroCount / divisor, count / divisor, sum / divisor,
        positive.divide(divisor), negative.divide(divisor));
  }

  /** Without empty buckets (Prometheus' {@code Compact(0)}). */
  public FloatHistogram compact() {
    Buckets p = positive.compact();
    Buckets n = negative.compact();
    return p == positive && n == negative ? this : new FloatHistogram(schema, zeroThreshold, zeroCount, count, sum, p, n);
  }

  /** This histogram at a lower (or the same) resolution; neighbouring buckets merge. */
  public FloatHistogram toSchema(int target) {
    if (target > schema) {
      throw new IllegalArgumentException("cannot raise a histogram's resolution from schema " + schema + " to " + target);
    }
    if (target == schema) {
      return this;
    }
    return new FloatHistogram(target, zeroThreshold, zeroCount, count, sum, positive.reduce(schema, target),
        negative.reduce(schema, target));
  }

  private record Zero(double count, double threshold) {}

  /**
   * The zero bucket's count if its threshold grew to {@code larger}. A threshold that falls
   * inside a populated bucket grows further, to that bucket's upper bound.
   */
  private Zero zeroForLargerThreshold(double larger) {
    if (larger == zeroThreshold) {
      return new Zero(zeroCount, larger);
    }
    outer:
    while (true) {
      double c = zeroCount;
      for (int i = 0; i < positive.size(); i++) {
        int idx = positive.index[i];
        if (bound(idx - 1, schema) >= larger) {
          break;
        }
        c += positive.count[i];
        double upper = bound(idx, schema);
        if (upper > larger) {
          if (positive.count[i] != 0) {
            larger = upper;
          }
          break;
        }
      }
      for (int i = 0; i < negative.size(); i++) {
        int idx = negative.index[i];
        if (bound(idx - 1, schema) >= larger) {
          break;
        }
        c += negative.count[i];
        double upper = bound(idx, schema);
        if (upper > larger) {
          if (negative.count[i] != 0) {
            larger = upper;
            continue outer;
          }
          break;
        }
      }
      return new Zero(c, larger);
    }
  }

  /** This histogram with its zero bucket widened to at least {@code larger}. */
  private FloatHistogram withZeroThreshold(double larger) {
    Zero z = zeroForLargerThreshold(larger);
    return new FloatHistogram(schema, z.threshold, z.count, count, sum,
        positive.trimBelow(z.threshold, schema).compact(), negative.trimBelow(z.threshold, schema).compact());
  }

  /**
   * Whether this histogram, following {@code previous} in a counter, shows a counter reset: a
   * smaller count, a finer schema, a narrower zero bucket, or any bucket (compared at this
   * histogram's resolution) that went down.
   */
  public boolean detectReset(FloatHistogram previous) {
    if (count < previous.count || schema > previous.schema || zeroThreshold < previous.zeroThreshold) {
      return true;
    }
    Zero z = previous.zeroForLargerThreshold(zeroThreshold);
    if (z.threshold != zeroThreshold || zeroCount < z.count) {
      return true;
    }
    return decreased(positive, previous.positive.reduce(previous.schema, schema))
        || decreased(negative, previous.negative.reduce(previous.schema, schema));
  }

  private boolean decreased(Buckets current, Buckets previous) {
    for (int i = 0; i < previous.size(); i++) {
      int idx = previous.index[i];
      if (bound(idx, schema) <= zeroThreshold) {
        continue; // inside the zero bucket, compared above
      }
      if (current.count(idx) < previous.count[i]) {
        return true;
      }
    }
    return false;
  }

  /**
   * Every bucket from the lowest to the highest values: negative buckets (lower bound
   * included), the zero bucket when it has observations (both included), positive buckets (upper
   * bound included). Buckets beside the zero bucket are cut at its threshold.
   */
  public List<Bucket> allBuckets() {
    List<Bucket> out = new ArrayList<>(positive.size() + negative.size() + 1);
    for (int i = negative.size() - 1; i >= 0; i--) {
      int idx = negative.index[i];
      double upper = -bound(idx - 1, schema);
      out.add(new Bucket(-bound(idx, schema), Math.min(upper, -zeroThreshold), true, false, negative.count[i]));
    }
    if (zeroCount > 0) {
      out.add(new Bucket(-zeroThreshold, zeroThreshold, true, true, zeroCount));
    }
    for (int i = 0; i < positive.size(); i++) {
      int idx = positive.index[i];
      out.add(new Bucket(Math.max(bound(idx - 1, schema), zeroThreshold), bound(idx, schema), false, true,
          positive.count[i]));
    }
    return out;
  }

  /** Whether the histogram has positive (or negative) buckets at all, empty ones included. */
  public boolean hasPositiveBuckets() {
    return positive.size() > 0;
  }

  public boolean hasNegativeBuckets() {
    return negative.size() > 0;
  }

  @Override
  public boolean equals(Object o) {
    return o instanceof FloatHistogram h && h.schema == schema && Double.compare(h.zeroThreshold, zeroThreshold) == 0
        && Double.compare(h.zeroCount, zeroCount) == 0 && Double.compare(h.count, count) == 0
        && Double.compare(h.sum, sum) == 0 && h.positive.equals(positive) && h.negative.equals(negative);
  }

  @Override
  public int hashCode() {
    return Objects.hash(schema, zeroThreshold, zeroCount, count, sum, positive, negative);
  }

  /** The notation of Prometheus' test files, empty buckets between populated ones written as 0. */
  @Override
  public String toString() {
    StringBuilder sb = new StringBuilder("{{schema:").append(schema).append(" count:").append(count)
        .append(" sum:").append(sum);
    if (zeroCount != 0 || zeroThreshold != 0) {
      sb.append(" z_bucket:").append(zeroCount).append(" z_bucket_w:").append(zeroThreshold);
    }
    appendSide(sb, "", positive);
    appendSide(sb, "n_", negative);
    return sb.append("}}").toString();
  }

  private static void appendSide(StringBuilder sb, String prefix, Buckets b) {
    if (b.size() == 0) {
      return;
    }
    sb.append(' ').append(prefix).append("offset:").append(b.index[0]).append(' ').append(prefix).append("buckets:[");
    for (int idx = b.index[0]; idx <= b.index[b.size() - 1]; idx++) {
      sb.append(idx == b.index[0] ? "" : " ").append(b.count(idx));
    }
    sb.append(']');
  }
}
