package dev.runnel.querier.promql.engine;

import dev.runnel.querier.promql.model.Labels;

/**
 * One series of an instant vector evaluated at every step: a dense value per step and whether
 * the series has a value there. Dense arrays keep the per-step loops free of allocation and let
 * grouping and matching work once per series instead of once per step.
 */
final class StepSeries {
  final Labels labels;
  final double[] values;
  final boolean[] present;

  StepSeries(Labels labels, int steps) {
    this(labels, new double[steps], new boolean[steps]);
  }

  StepSeries(Labels labels, double[] values, boolean[] present) {
    this.labels = labels;
    this.values = values;
    this.present = present;
  }

  StepSeries withLabels(Labels l) {
    return new StepSeries(l, values, present);
  }

  boolean isEmpty() {
    for (boolean p : present) {
      if (p) {
        return false;
      }
    }
    return true;
  }
}
