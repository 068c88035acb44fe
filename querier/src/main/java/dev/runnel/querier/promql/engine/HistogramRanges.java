package dev.runnel.querier.promql.engine;

import dev.runnel.querier.promql.value.FloatHistogram;

/**
 * Range functions over windows holding native histograms. A window mixing floats and histograms
 * has no result for these functions (Prometheus would add a warning, which we do not carry yet).
 */
final class HistogramRanges {
  private HistogramRanges() {}

  /**
   * The change of a histogram counter (or gauge) between the window's first and last sample,
   * at the lowest schema in the window, adding back what a counter reset lost.
   */
  static FloatHistogram increase(RangeWindow w, boolean isCounter) {
    FloatHistogram first = w.hs[w.from];
    FloatHistogram last = w.hs[w.to - 1];
    int schema = Math.min(first.schema(), last.schema());
    if (isCounter) {
      for (int i = w.from + 1; i < w.to - 1; i++) {
        schema = Math.min(schema, w.hs[i].schema());
      }
    }
    FloatHistogram h = last.toSchema(schema).minus(first);
    if (isCounter) {
      FloatHistogram prev = first;
      for (int i = w.from + 1; i < w.to; i++) {
        FloatHistogram cur = w.hs[i];
        if (cur.detectReset(prev)) {
          h = h.plus(prev);
        }
        prev = cur;
      }
    }
    return h.compact();
  }

  /** irate and idelta of the last two samples when either is a histogram (both must be). */
  static boolean instantValue(RangeWindow w, boolean isRate) {
    int last = w.to - 1;
    FloatHistogram cur = w.hs[last];
    FloatHistogram prev = w.hs[last - 1];
    long interval = w.ts[last] - w.ts[last - 1];
    if (cur == null || prev == null || interval == 0) {
      return false;
    }
    FloatHistogram h = isRate && cur.detectReset(prev) ? cur : cur.minus(prev);
    h = h.compact();
    w.resultHistogram = isRate ? h.dividedBy(interval / 1000.0) : h;
    return true;
  }

  /** sum_over_time: the histograms' sum, or the float function when the window has only floats. */
  static boolean sumOverTime(RangeWindow w, RangeFunction floats) {
    int histograms = w.histogramCount();
    if (histograms == 0) {
      return floats.apply(w);
    }
    if (histograms != w.count()) {
      return false;
    }
    FloatHistogram sum = w.hs[w.from];
    for (int i = w.from + 1; i < w.to; i++) {
      sum = sum.plus(w.hs[i]);
    }
    w.resultHistogram = sum;
    return true;
  }

  /** avg_over_time: an incremental mean of the histograms, which keeps big counts from overflowing. */
  static boolean avgOverTime(RangeWindow w, RangeFunction floats) {
    int histograms = w.histogramCount();
    if (histograms == 0) {
      return floats.apply(w);
    }
    if (histograms != w.count()) {
      return false;
    }
    FloatHistogram mean = w.hs[w.from];
    int count = 1;
    for (int i = w.from + 1; i < w.to; i++) {
      count++;
      mean = mean.plus(w.hs[i].dividedBy(count).minus(mean.dividedBy(count)));
    }
    w.resultHistogram = mean;
    return true;
  }
}
