package dev.runnel.querier.promql.engine;

import java.util.List;

/** The value of an expression at every step of an evaluation. */
sealed interface Evaluated {
  /** A scalar at every step. */
  record Scalars(double[] values) implements Evaluated {}

  /** A string (the same at every step). */
  record Text(String value) implements Evaluated {}

  /** An instant vector at every step. */
  record Vectors(List<StepSeries> series) implements Evaluated {}
}
