package dev.runnel.querier.promql.value;

import dev.runnel.querier.promql.model.Labels;

/** One element of an instant vector: a float, or a native histogram when {@code histogram} is set. */
public record Sample(Labels labels, long timestampMillis, double value, FloatHistogram histogram) {
  public Sample(Labels labels, long timestampMillis, double value) {
    this(labels, timestampMillis, value, null);
  }

  public boolean isHistogram() {
    return histogram != null;
  }
}
