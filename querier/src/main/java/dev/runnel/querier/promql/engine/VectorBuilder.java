package dev.runnel.querier.promql.engine;

import dev.runnel.querier.promql.model.Labels;
import dev.runnel.querier.promql.value.FloatHistogram;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

/**
 * Collects output series by labels, keeping first-seen order. Two values for the same labels at
 * the same step make the result ambiguous, so they fail the query as in Prometheus.
 */
final class VectorBuilder {
  private final int steps;
  private final String duplicateMessage;
  private final Map<Labels, StepSeries> byLabels = new HashMap<>();
  private final List<StepSeries> order = new ArrayList<>();

  VectorBuilder(int steps) {
    this(steps, "vector cannot contain metrics with the same labelset");
  }

  VectorBuilder(int steps, String duplicateMessage) {
    this.steps = steps;
    this.duplicateMessage = duplicateMessage;
  }

  StepSeries series(Labels labels) {
    StepSeries s = byLabels.get(labels);
    if (s == null) {
      s = new StepSeries(labels, steps);
      byLabels.put(labels, s);
      order.add(s);
    }
    return s;
  }

  void set(StepSeries s, int step, double v) {
    if (s.present[step]) {
      throw QueryException.execution(duplicateMessage);
    }
    s.present[step] = true;
    s.values[step] = v;
  }

  void setHistogram(StepSeries s, int step, FloatHistogram h) {
    if (s.present[step]) {
      throw QueryException.execution(duplicateMessage);
    }
    s.setHistogram(step, h);
  }

  /** Adds a whole series, merging it with an earlier one of the same labels. */
  void add(Labels labels, double[] values, boolean[] present) {
    add(labels, values, present, null);
  }

  /** Adds a whole series with its histograms (may be null), merging it with an earlier one of the same labels. */
  void add(Labels labels, double[] values, boolean[] present, FloatHistogram[] histograms) {
    StepSeries s = byLabels.get(labels);
    if (s == null) {
      s = new StepSeries(labels, values, present, histograms);
      byLabels.put(labels, s);
      order.add(s);
      return;
    }
    for (int i = 0; i < steps; i++) {
      if (!present[i]) {
        continue;
      }
      if (histograms != null && histograms[i] != null) {
        setHistogram(s, i, histograms[i]);
      } else {
        set(s, i, values[i]);
      }
    }
  }

  List<StepSeries> build(QueryContext ctx) {
    List<StepSeries> out = new ArrayList<>(order.size());
    for (StepSeries s : order) {
      if (!s.isEmpty()) {
        out.add(s);
      }
    }
    ctx.addSamples((long) out.size() * steps);
    return out;
  }
}
