package dev.runnel.querier.promql.engine;

import dev.runnel.querier.promql.value.FloatHistogram;

/**
 * The samples of one series inside one step's window, {@code [from, to)} of the arrays, plus the
 * window bounds and the step's scalar arguments. One instance is reused for every window.
 */
final class RangeWindow {
  long[] ts;
  double[] vs;
  /** Null when the series has no histogram samples; else a histogram (or null for a float) per sample. */
  FloatHistogram[] hs;
  int from;
  int to;
  long rangeStart;
  long rangeEnd;
  long rangeMillis;
  long stepTime;
  /** Scalar arguments at this step, in argument order (the range argument excluded). */
  double[] args = new double[2];
  /** Scratch space for functions that sort (quantile_over_time). */
  double[] scratch = new double[16];
  /** Scratch space for the float samples of a window that also holds histograms. */
  long[] floatTs = new long[16];
  double[] floatVs = new double[16];
  double result;
  /** The result when it is a histogram; the function sets it, the caller clears it. */
  FloatHistogram resultHistogram;

  int count() {
    return to - from;
  }

  /** How many samples of the window are histograms. */
  int histogramCount() {
    if (hs == null) {
      return 0;
    }
    int n = 0;
    for (int i = from; i < to; i++) {
      n += hs[i] == null ? 0 : 1;
    }
    return n;
  }
}
