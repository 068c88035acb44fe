package dev.runnel.querier.promql.value;

import dev.runnel.querier.promql.model.Labels;
import java.util.Arrays;

/**
 * A series of a range vector: parallel arrays of timestamps (ms) and values, in time order. A
 * point is a native histogram where {@link #histogram(int)} is not null (its value is then 0).
 */
public final class RangeSeries {
  private final Labels labels;
  private final long[] timestamps;
  private final double[] values;
  private final FloatHistogram[] histograms;

  public RangeSeries(Labels labels, long[] timestamps, double[] values) {
    this(labels, timestamps, values, null);
  }

  /** {@code histograms} may be null when no point is a histogram. */
  public RangeSeries(Labels labels, long[] timestamps, double[] values, FloatHistogram[] histograms) {
    if (timestamps.length != values.length || (histograms != null && histograms.length != values.length)) {
      throw new IllegalArgumentException("timestamps, values and histograms differ in length: " + timestamps.length
          + ", " + values.length + ", " + (histograms == null ? "none" : histograms.length));
    }
    this.labels = labels;
    this.timestamps = timestamps;
    this.values = values;
    this.histograms = histograms;
  }

  public Labels labels() {
    return labels;
  }

  public int size() {
    return timestamps.length;
  }

  public long timestamp(int i) {
    return timestamps[i];
  }

  public double value(int i) {
    return values[i];
  }

  /** The histogram at point {@code i}, or null when that point is a float. */
  public FloatHistogram histogram(int i) {
    return histograms == null ? null : histograms[i];
  }

  @Override
  public String toString() {
    return labels + " " + Arrays.toString(timestamps) + " " + Arrays.toString(values)
        + (histograms == null ? "" : " " + Arrays.toString(histograms));
  }
}
