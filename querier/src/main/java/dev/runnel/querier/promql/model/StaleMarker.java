package dev.runnel.querier.promql.model;

/**
 * The staleness marker: a NaN with a distinct bit pattern that Prometheus writes when a series
 * disappears. Ordinary NaN samples are values; this one ends the series at its timestamp.
 */
public final class StaleMarker {
  public static final long BITS = 0x7ff0000000000002L;
  public static final double VALUE = Double.longBitsToDouble(BITS);

  private StaleMarker() {}

  public static boolean is(double v) {
    return Double.doubleToRawLongBits(v) == BITS;
  }
}
