package dev.runnel.querier.promql.model;

/** What {@link SampleIterator#next()} moved to. */
public enum SampleType {
  /** The iterator is exhausted. */
  NONE,
  /** A float sample: read it with {@link SampleIterator#timestamp()} and {@link SampleIterator#value()}. */
  FLOAT,
  /** A native histogram: read it with {@link SampleIterator#timestamp()} and {@link SampleIterator#histogram()}. */
  HISTOGRAM
}
