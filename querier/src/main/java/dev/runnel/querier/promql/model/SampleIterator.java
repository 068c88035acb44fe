package dev.runnel.querier.promql.model;

/** Walks the samples of one series in timestamp order, without boxing. */
public interface SampleIterator {
  /** Moves to the next sample and says what it is, {@link SampleType#NONE} at the end. */
  SampleType next();

  /** The current sample's timestamp in milliseconds since the epoch. */
  long timestamp();

  /** The current float sample's value; may be the {@link StaleMarker staleness marker}. */
  double value();
}
