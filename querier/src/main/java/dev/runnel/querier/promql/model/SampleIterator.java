package dev.runnel.querier.promql.model;

import dev.runnel.querier.promql.value.FloatHistogram;

/** Walks the samples of one series in timestamp order, float samples without boxing. */
public interface SampleIterator {
  /** Moves to the next sample and says what it is, {@link SampleType#NONE} at the end. */
  SampleType next();

  /** The current sample's timestamp in milliseconds since the epoch. */
  long timestamp();

  /** The current float sample's value; may be the {@link StaleMarker staleness marker}. */
  double value();

  /**
   * The current histogram sample; a stale one has the staleness marker as its sum. Only called
   * after {@link #next()} returned {@link SampleType#HISTOGRAM}.
   */
  default FloatHistogram histogram() {
    throw new IllegalStateException("this iterator has no histogram samples");
  }
}
