package dev.runnel.querier.promql.value;

import dev.runnel.querier.promql.model.Labels;
import java.util.Arrays;

/** A series of a range vector: parallel arrays of timestamps (ms) and values, in time order. */
public final class RangeSeries {
  private final Labels labels;
  private final long[] timestamps;
  private final double[] values;

  public RangeSeries(Labels labels, long[] timestamps, double[] values) {
    if (timestamps.length != values.length) {
      throw new IllegalArgumentException("timestamps and values differ in length: " + timestamps.length + " != " + values.length);
    }
    this.labels = labels;
    this.timestamps = timestamps;
    this.values = values;
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

  @Override
  public String toString() {
    return labels + " " + Arrays.toString(timestamps) + " " + Arrays.toString(values);
  }
}
