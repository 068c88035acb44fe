package dev.runnel.querier.promql.storage.memory;

import dev.runnel.querier.promql.model.Labels;
import dev.runnel.querier.promql.model.Matcher;
import dev.runnel.querier.promql.model.SampleIterator;
import dev.runnel.querier.promql.model.SampleType;
import dev.runnel.querier.promql.model.Series;
import dev.runnel.querier.promql.storage.Querier;
import dev.runnel.querier.promql.storage.Queryable;
import dev.runnel.querier.promql.value.FloatHistogram;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.TreeSet;

/**
 * Series held in memory, sorted by labels: for tests and benchmarks. Samples of a series must
 * be appended in timestamp order; not thread-safe while appending.
 */
public final class MemoryStorage implements Queryable {
  private final TreeMap<Labels, Samples> series = new TreeMap<>();

  /** Appends one sample; timestamps of a series must increase. */
  public void append(Labels labels, long timestamp, double value) {
    series.computeIfAbsent(labels, l -> new Samples()).append(labels, timestamp, value, null);
  }

  /** Appends one native histogram sample; timestamps of a series must increase. */
  public void append(Labels labels, long timestamp, FloatHistogram histogram) {
    series.computeIfAbsent(labels, l -> new Samples()).append(labels, timestamp, 0, histogram);
  }

  /** Drops every series. */
  public void clear() {
    series.clear();
  }

  @Override
  public Querier querier(long minT, long maxT) {
    return new MemoryQuerier();
  }

  private final class MemoryQuerier implements Querier {
    @Override
    public List<Series> select(long minT, long maxT, List<Matcher> matchers) {
      List<Series> out = new ArrayList<>();
      for (Map.Entry<Labels, Samples> e : series.entrySet()) {
        if (matchesAll(e.getKey(), matchers)) {
          out.add(e.getValue().view(e.getKey(), minT, maxT));
        }
      }
      return out;
    }

    @Override
    public List<String> labelNames(List<Matcher> matchers) {
      TreeSet<String> names = new TreeSet<>();
      for (Labels l : series.keySet()) {
        if (matchesAll(l, matchers)) {
          for (int i = 0; i < l.size(); i++) {
            names.add(l.name(i));
          }
        }
      }
      return new ArrayList<>(names);
    }

    @Override
    public List<String> labelValues(String name, List<Matcher> matchers) {
      TreeSet<String> values = new TreeSet<>();
      for (Labels l : series.keySet()) {
        String v = l.get(name);
        if (!v.isEmpty() && matchesAll(l, matchers)) {
          values.add(v);
        }
      }
      return new ArrayList<>(values);
    }
  }

  private static boolean matchesAll(Labels labels, List<Matcher> matchers) {
    for (Matcher m : matchers) {
      if (!m.matches(labels.get(m.name()))) {
        return false;
      }
    }
    return true;
  }

  private static final class Samples {
    long[] ts = new long[16];
    double[] vs = new double[16];
    /** Null until the series has a histogram sample. */
    FloatHistogram[] hs;
    int n;

    void append(Labels labels, long t, double v, FloatHistogram h) {
      if (n > 0 && t <= ts[n - 1]) {
        throw new IllegalArgumentException("out of order sample for " + labels + ": " + t + " <= " + ts[n - 1]);
      }
      if (n == ts.length) {
        ts = Arrays.copyOf(ts, 2 * n);
        vs = Arrays.copyOf(vs, 2 * n);
        if (hs != null) {
          hs = Arrays.copyOf(hs, 2 * n);
        }
      }
      if (h != null && hs == null) {
        hs = new FloatHistogram[ts.length];
      }
      ts[n] = t;
      vs[n] = v;
      if (hs != null) {
        hs[n] = h;
      }
      n++;
    }

    Series view(Labels labels, long minT, long maxT) {
      int from = lowerBound(minT);
      int to = lowerBound(maxT == Long.MAX_VALUE ? maxT : maxT + 1);
      long[] t = ts;
      double[] v = vs;
      FloatHistogram[] h = hs;
      return new Series() {
        @Override
        public Labels labels() {
          return labels;
        }

        @Override
        public SampleIterator iterator() {
          return new SampleIterator() {
            int i = from - 1;

            @Override
            public SampleType next() {
              if (++i >= to) {
                return SampleType.NONE;
              }
              return h != null && h[i] != null ? SampleType.HISTOGRAM : SampleType.FLOAT;
            }

            @Override
            public FloatHistogram histogram() {
              return h[i];
            }

            @Override
            public long timestamp() {
              return t[i];
            }

            @Override
            public double value() {
              return v[i];
            }
          };
        }
      };
    }

    private int lowerBound(long t) {
      int lo = 0;
      int hi = n;
      while (lo < hi) {
        int mid = (lo + hi) >>> 1;
        if (ts[mid] < t) {
          lo = mid + 1;
        } else {
          hi = mid;
        }
      }
      return lo;
    }
  }
}
