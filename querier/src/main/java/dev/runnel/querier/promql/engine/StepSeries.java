package dev.runnel.querier.promql.engine;

import dev.runnel.querier.promql.model.Labels;
import dev.runnel.querier.promql.value.FloatHistogram;

/**
 * One series of an instant vector evaluated at every step: a dense value per step and whether
 * the series has a value there. Dense arrays keep the per-step loops free of allocation and let
 * grouping and matching work once per series instead of once per step.
 *
 * <p>Native histograms sit beside the floats: {@code histograms} stays null for the (usual)
 * series without any, so float-only evaluation never looks at it; otherwise a present step whose
 * histogram is not null holds that histogram instead of a float.
 */
final class StepSeries {
  final Labels labels;
  final double[] values;
  final boolean[] present;
  FloatHistogram[] histograms;

  StepSeries(Labels labels, int steps) {
    this(labels, new double[steps], new boolean[steps]);
  }

  StepSeries(Labels labels, double[] values, boolean[] present) {
    this(labels, values, present, null);
  }

  StepSeries(Labels labels, double[] values, boolean[] present, FloatHistogram[] histograms) {
    this.labels = labels;
    this.values = values;
    this.present = present;
    this.histograms = histograms;
  }

  StepSeries withLabels(Labels l) {
    return new StepSeries(l, values, present, histograms);
  }

  /** The histogram at a step, or null when the step has a float or nothing. */
  FloatHistogram histogram(int step) {
    return histograms == null || !present[step] ? null : histograms[step];
  }

  /** Whether the step holds a float (present and not a histogram). */
  boolean hasFloat(int step) {
    return present[step] && (histograms == null || histograms[step] == null);
  }

  void setHistogram(int step, FloatHistogram h) {
    if (histograms == null) {
      histograms = new FloatHistogram[present.length];
    }
    histograms[step] = h;
    present[step] = true;
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
