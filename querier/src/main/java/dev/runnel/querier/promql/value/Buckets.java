package dev.runnel.querier.promql.value;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;

/**
 * One side (positive or negative) of a native histogram's exponential buckets, held sparsely:
 * ascending distinct bucket indexes and their counts. Spans, as Prometheus stores them, are
 * derived on demand; arithmetic is easier on explicit indexes.
 */
final class Buckets {
  static final Buckets EMPTY = new Buckets(new int[0], new double[0]);

  final int[] index;
  final double[] count;

  Buckets(int[] index, double[] count) {
    this.index = index;
    this.count = count;
  }

  int size() {
    return index.length;
  }

  /** Buckets from Prometheus' spans (the first offset absolute, later ones gaps) and counts. */
  static Buckets fromSpans(FloatHistogram.Span[] spans, double[] counts) {
    int n = 0;
    for (FloatHistogram.Span s : spans) {
      if (s.length() < 0) {
        throw new IllegalArgumentException("bucket span length must not be negative: " + s.length());
      }
      n += s.length();
    }
    if (n != counts.length) {
      throw new IllegalArgumentException("spans cover " + n + " buckets but " + counts.length + " counts were given");
    }
    int[] idx = new int[n];
    int next = 0;
    int k = 0;
    for (FloatHistogram.Span s : spans) {
      next += s.offset();
      if (k > 0 && next <= idx[k - 1]) {
        throw new IllegalArgumentException("bucket spans overlap: span offset " + s.offset() + " goes back");
      }
      for (int j = 0; j < s.length(); j++) {
        idx[k++] = next++;
      }
    }
    return new Buckets(idx, counts.clone());
  }

  /** Spans of consecutive indexes, adjacent ones merged. */
  FloatHistogram.Span[] spans() {
    List<FloatHistogram.Span> out = new ArrayList<>();
    int expected = 0;
    int i = 0;
    while (i < index.length) {
      int start = i;
      while (i + 1 < index.length && index[i + 1] == index[i] + 1) {
        i++;
      }
      out.add(new FloatHistogram.Span(index[start] - expected, i - start + 1));
      expected = index[i] + 1;
      i++;
    }
    return out.toArray(new FloatHistogram.Span[0]);
  }

  double count(int bucketIndex) {
    int i = Arrays.binarySearch(index, bucketIndex);
    return i >= 0 ? count[i] : 0;
  }

  /** These buckets at a lower resolution: {@code 2^(from-to)} neighbours merge into one. */
  Buckets reduce(int fromSchema, int toSchema) {
    if (toSchema >= fromSchema) {
      return this;
    }
    int shift = fromSchema - toSchema;
    int[] idx = new int[index.length];
    double[] cnt = new double[index.length];
    int n = 0;
    for (int i = 0; i < index.length; i++) {
      // Bucket i covers (base^(i-1), base^i]; the wider bucket holding it is ceil(i / 2^shift).
      int target = ((index[i] - 1) >> shift) + 1;
      if (n > 0 && idx[n - 1] == target) {
        cnt[n - 1] += count[i];
      } else {
        idx[n] = target;
        cnt[n++] = count[i];
      }
    }
    return new Buckets(Arrays.copyOf(idx, n), Arrays.copyOf(cnt, n));
  }

  /**
   * These buckets plus {@code sign} times the other's (same schema). Leading buckets of the
   * other that lie inside the zero bucket ({@code upper <= threshold}) are left out: the caller
   * has already counted them in the zero bucket.
   */
  Buckets add(Buckets other, double sign, int schema, double threshold) {
    int[] idx = new int[index.length + other.index.length];
    double[] cnt = new double[idx.length];
    int n = 0;
    int i = 0;
    int j = 0;
    while (j < other.index.length && threshold > 0 && FloatHistogram.bound(other.index[j], schema) <= threshold) {
      j++;
    }
    while (i < index.length || j < other.index.length) {
      if (j == other.index.length || (i < index.length && index[i] < other.index[j])) {
        idx[n] = index[i];
        cnt[n++] = count[i++];
      } else if (i == index.length || other.index[j] < index[i]) {
        idx[n] = other.index[j];
        cnt[n++] = sign * other.count[j++];
      } else {
        idx[n] = index[i];
        cnt[n++] = count[i++] + sign * other.count[j++];
      }
    }
    return new Buckets(Arrays.copyOf(idx, n), Arrays.copyOf(cnt, n));
  }

  Buckets scale(double factor) {
    double[] cnt = new double[count.length];
    for (int i = 0; i < cnt.length; i++) {
      cnt[i] = count[i] * factor;
    }
    return new Buckets(index, cnt);
  }

  Buckets divide(double divisor) {
    double[] cnt = new double[count.length];
    for (int i = 0; i < cnt.length; i++) {
      cnt[i] = count[i] / divisor;
    }
    return new Buckets(index, cnt);
  }

  /** Without empty buckets. */
  Buckets compact() {
    int n = 0;
    for (double c : count) {
      n += c == 0 ? 0 : 1;
    }
    if (n == count.length) {
      return this;
    }
    int[] idx = new int[n];
    double[] cnt = new double[n];
    int k = 0;
    for (int i = 0; i < count.length; i++) {
      if (count[i] != 0) {
        idx[k] = index[i];
        cnt[k++] = count[i];
      }
    }
    return new Buckets(idx, cnt);
  }

  /** Without the buckets whose lower bound is below {@code threshold} (now in the zero bucket). */
  Buckets trimBelow(double threshold, int schema) {
    int k = 0;
    while (k < index.length && FloatHistogram.bound(index[k] - 1, schema) < threshold) {
      k++;
    }
    return k == 0 ? this : new Buckets(Arrays.copyOfRange(index, k, index.length), Arrays.copyOfRange(count, k, count.length));
  }

  @Override
  public boolean equals(Object o) {
    return o instanceof Buckets b && Arrays.equals(index, b.index) && Arrays.equals(count, b.count);
  }

  @Override
  public int hashCode() {
    return 31 * Arrays.hashCode(index) + Arrays.hashCode(count);
  }
}
