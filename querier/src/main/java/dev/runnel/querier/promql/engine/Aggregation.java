package dev.runnel.querier.promql.engine;

import dev.runnel.querier.promql.model.Labels;
import dev.runnel.querier.promql.model.Strings;
import dev.runnel.querier.promql.parser.GoFloats;
import dev.runnel.querier.promql.parser.ast.AggregateExpr;
import dev.runnel.querier.promql.parser.ast.AggregateOp;
import dev.runnel.querier.promql.value.FloatHistogram;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * Aggregation operators. Series are assigned to groups once (hashing their grouping labels),
 * then values are accumulated per group and step in flat arrays.
 */
final class Aggregation {
  private Aggregation() {}

  static List<StepSeries> eval(Evaluator ev, AggregateExpr e) {
    AggregateOp op = e.op();
    if (op == AggregateOp.COUNT_VALUES) {
      return countValues(ev, e, ev.text(e.param()));
    }
    double[] param = e.param() == null ? null : ev.scalars(e.param());
    List<StepSeries> in = ev.vectors(e.expr());
    Set<String> grouping = new HashSet<>(e.grouping());
    Map<Labels, Integer> groupIds = new HashMap<>();
    List<Labels> groupLabels = new ArrayList<>();
    int[] groupOf = new int[in.size()];
    for (int i = 0; i < in.size(); i++) {
      Labels key = groupKey(in.get(i).labels, grouping, e.without());
      Integer id = groupIds.get(key);
      if (id == null) {
        id = groupLabels.size();
        groupIds.put(key, id);
        groupLabels.add(key);
      }
      groupOf[i] = id;
    }
    return switch (op) {
      case TOPK, BOTTOMK -> topK(ev, in, groupOf, groupLabels.size(), param, op == AggregateOp.TOPK);
      case QUANTILE -> quantile(ev, in, groupOf, groupLabels, param);
      default -> accumulate(ev, op, in, groupOf, groupLabels);
    };
  }

  private static Labels groupKey(Labels l, Set<String> grouping, boolean without) {
    return without ? l.drop(grouping, true) : l.keep(grouping);
  }

  private static List<StepSeries> accumulate(
      Evaluator ev, AggregateOp op, List<StepSeries> in, int[] groupOf, List<Labels> groupLabels) {
    int steps = ev.steps;
    int groups = groupLabels.size();
    double[] value = new double[groups * steps];
    double[] mean = new double[groups * steps];
    double[] count = new double[groups * steps];
    HistogramGroups histograms = null;
    for (int i = 0; i < in.size(); i++) {
      ev.ctx.checkpoint();
      StepSeries s = in.get(i);
      int base = groupOf[i] * steps;
      for (int t = 0; t < steps; t++) {
        if (!s.present[t]) {
          continue;
        }
        int g = base + t;
        FloatHistogram h = s.histogram(t);
        if (h != null) {
          if (op == AggregateOp.COUNT || op == AggregateOp.GROUP) {
            count[g]++;
          } else if (op == AggregateOp.SUM || op == AggregateOp.AVG) {
            if (histograms == null) {
              histograms = new HistogramGroups(groups * steps);
            }
            histograms.add(g, h, op == AggregateOp.AVG);
          }
          continue; // other aggregations ignore histograms, as in Prometheus 2.4x
        }
        double v = s.values[t];
        double c = ++count[g];
        if (c == 1) {
          value[g] = op == AggregateOp.STDDEV || op == AggregateOp.STDVAR ? 0 : v;
          mean[g] = v;
          continue;
        }
        switch (op) {
          case SUM -> value[g] += v;
          case MIN -> {
            if (value[g] > v || Double.isNaN(value[g])) {
              value[g] = v;
            }
          }
          case MAX -> {
            if (value[g] < v || Double.isNaN(value[g])) {
              value[g] = v;
            }
          }
          case AVG -> {
            double m = mean[g];
            if (Double.isInfinite(m)) {
              if (Double.isInfinite(v) && (m > 0) == (v > 0)) {
                break;
              }
              if (!Double.isInfinite(v) && !Double.isNaN(v)) {
                break;
              }
            }
            mean[g] = m + (v / c - m / c);
          }
          case STDDEV, STDVAR -> {
            double delta = v - mean[g];
            mean[g] += delta / c;
            value[g] += delta * (v - mean[g]);
          }
          default -> {
            // COUNT and GROUP only need the count.
          }
        }
      }
    }
    List<StepSeries> out = new ArrayList<>(groups);
    for (int gi = 0; gi < groups; gi++) {
      StepSeries s = new StepSeries(groupLabels.get(gi), steps);
      for (int t = 0; t < steps; t++) {
        int g = gi * steps + t;
        double c = count[g];
        if (histograms != null && histograms.has(g)) {
          if (c == 0) {
            s.setHistogram(t, histograms.result(g));
          }
          continue; // floats and histograms together have no sum or average
        }
        if (c == 0) {
          continue;
        }
        s.present[t] = true;
        s.values[t] = switch (op) {
          case AVG -> mean[g];
          case COUNT -> c;
          case GROUP -> 1;
          case STDVAR -> value[g] / c;
          case STDDEV -> Math.sqrt(value[g] / c);
          default -> value[g];
        };
      }
      out.add(s);
    }
    ev.ctx.addSamples((long) groups * steps);
    return out;
  }

  /**
   * The histogram sums (or incremental means) of sum and avg, per group and step. The sum works
   * at the lowest schema of its inputs; the mean follows Prometheus 2.4x's incremental formula.
   */
  private static final class HistogramGroups {
    private final FloatHistogram[] value;
    private final int[] count;

    HistogramGroups(int size) {
      value = new FloatHistogram[size];
      count = new int[size];
    }

    void add(int g, FloatHistogram h, boolean mean) {
      int c = ++count[g];
      if (c == 1) {
        value[g] = h;
      } else if (mean) {
        value[g] = value[g].plus(h.dividedBy(c).minus(value[g].dividedBy(c)));
      } else {
        value[g] = value[g].plus(h);
      }
    }

    boolean has(int g) {
      return count[g] > 0;
    }

    FloatHistogram result(int g) {
      return value[g].compact();
    }
  }

  /** topk/bottomk keep whole input series; NaN ranks below every number either way. */
  private static List<StepSeries> topK(
      Evaluator ev, List<StepSeries> in, int[] groupOf, int groups, double[] param, boolean top) {
    int steps = ev.steps;
    int[][] members = members(groupOf, groups);
    boolean[][] keep = new boolean[in.size()][];
    List<Integer> instantOrder = new ArrayList<>();
    Integer[] buf = new Integer[in.size()];
    for (int t = 0; t < steps; t++) {
      double kf = param[t];
      long k = kf >= Long.MAX_VALUE ? Long.MAX_VALUE : (long) kf;
      if (k < 1) {
        continue;
      }
      final int step = t;
      for (int[] group : members) {
        int n = 0;
        for (int i : group) {
          if (in.get(i).hasFloat(t)) {
            buf[n++] = i;
          }
        }
        // Stable sort by rank: the best first, NaN last.
        Arrays.sort(buf, 0, n, (a, b) -> {
          double va = in.get(a).values[step];
          double vb = in.get(b).values[step];
          boolean na = Double.isNaN(va);
          boolean nb = Double.isNaN(vb);
          if (na || nb) {
            return Boolean.compare(na, nb);
          }
          return top ? Double.compare(vb, va) : Double.compare(va, vb);
        });
        int take = (int) Math.min(k, n);
        for (int j = 0; j < take; j++) {
          int i = buf[j];
          if (keep[i] == null) {
            keep[i] = new boolean[steps];
          }
          keep[i][t] = true;
          if (steps == 1) {
            instantOrder.add(i);
          }
        }
      }
    }
    List<StepSeries> out = new ArrayList<>();
    if (steps == 1) {
      for (int i : instantOrder) {
        out.add(new StepSeries(in.get(i).labels, in.get(i).values, keep[i]));
      }
    } else {
      for (int i = 0; i < in.size(); i++) {
        if (keep[i] != null) {
          out.add(new StepSeries(in.get(i).labels, in.get(i).values, keep[i]));
        }
      }
    }
    ev.ctx.addSamples((long) out.size() * steps);
    return out;
  }

  private static int[][] members(int[] groupOf, int groups) {
    int[] sizes = new int[groups];
    for (int g : groupOf) {
      sizes[g]++;
    }
    int[][] members = new int[groups][];
    for (int g = 0; g < groups; g++) {
      members[g] = new int[sizes[g]];
      sizes[g] = 0;
    }
    for (int i = 0; i < groupOf.length; i++) {
      int g = groupOf[i];
      members[g][sizes[g]++] = i;
    }
    return members;
  }

  private static List<StepSeries> quantile(
      Evaluator ev, List<StepSeries> in, int[] groupOf, List<Labels> groupLabels, double[] param) {
    int steps = ev.steps;
    int[][] members = members(groupOf, groupLabels.size());
    double[] buf = new double[Math.max(1, in.size())];
    List<StepSeries> out = new ArrayList<>();
    for (int g = 0; g < members.length; g++) {
      StepSeries s = new StepSeries(groupLabels.get(g), steps);
      for (int t = 0; t < steps; t++) {
        int n = 0;
        for (int i : members[g]) {
          if (in.get(i).hasFloat(t)) {
            buf[n++] = in.get(i).values[t];
          }
        }
        if (n > 0) {
          s.present[t] = true;
          s.values[t] = Quantiles.quantile(param[t], buf, n);
        }
      }
      out.add(s);
    }
    ev.ctx.addSamples((long) out.size() * steps);
    return out;
  }

  /** count_values: counts series per value, the value becoming a label of the output. */
  private static List<StepSeries> countValues(Evaluator ev, AggregateExpr e, String label) {
    if (!Strings.isValidLabelName(label)) {
      throw QueryException.execution("invalid label name " + Strings.quote(label));
    }
    List<StepSeries> in = ev.vectors(e.expr());
    Set<String> grouping = new HashSet<>(e.grouping());
    if (!e.without()) {
      grouping.add(label);
    }
    VectorBuilder out = new VectorBuilder(ev.steps);
    for (StepSeries s : in) {
      for (int t = 0; t < ev.steps; t++) {
        if (!s.hasFloat(t)) {
          continue;
        }
        Labels withValue = s.labels.toBuilder().set(label, GoFloats.formatF(s.values[t])).build();
        StepSeries o = out.series(groupKey(withValue, grouping, e.without()));
        o.values[t] = o.present[t] ? o.values[t] + 1 : 1;
        o.present[t] = true;
      }
    }
    return out.build(ev.ctx);
  }
}
