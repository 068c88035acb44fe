package dev.runnel.querier.promql.value;

import java.util.List;

/** A range vector: series sorted by labels, each with at least one point. */
public record Matrix(List<RangeSeries> series) implements Value {
  public Matrix {
    series = List.copyOf(series);
  }
}
