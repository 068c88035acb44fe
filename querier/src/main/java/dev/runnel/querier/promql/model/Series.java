package dev.runnel.querier.promql.model;

/** One series: its labels and a fresh iterator over its samples each time it is asked. */
public interface Series {
  Labels labels();

  SampleIterator iterator();
}
