package dev.runnel.querier.promql.engine;

/**
 * The samples of one series inside one step's window, {@code [from, to)} of the arrays, plus the
 * window bounds and the step's scalar arguments. One instance is reused for every window.
 */
final class RangeWindow {
  long[] ts;
  double[] vs;
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
  double result;

  int count() {
    return to - from;
  }
}
