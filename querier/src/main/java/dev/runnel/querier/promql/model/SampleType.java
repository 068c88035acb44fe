package dev.runnel.querier.promql.model;

/**
 * What {@link SampleIterator#next()} moved to. Native histograms will add a {@code HISTOGRAM}
 * constant here and a histogram accessor on the iterator; the engine rejects kinds it does not know.
 */
public enum SampleType {
  /** The iterator is exhausted. */
  NONE,
  /** A float sample: read it with {@link SampleIterator#timestamp()} and {@link SampleIterator#value()}. */
  FLOAT
}
