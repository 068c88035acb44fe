package dev.runnel.querier.promql.engine;

import dev.runnel.querier.promql.model.Labels;
import dev.runnel.querier.promql.parser.ast.BinaryExpr;
import dev.runnel.querier.promql.parser.ast.BinaryOp;
import dev.runnel.querier.promql.parser.ast.VectorMatching;
import dev.runnel.querier.promql.value.FloatHistogram;
import dev.runnel.querier.promql.parser.ast.VectorMatching.Cardinality;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * Binary operators between scalars and vectors, with Prometheus' vector matching: signatures
 * are computed once per series, the per-step loops only look up precomputed groups.
 */
final class BinaryOperations {
  private BinaryOperations() {}

  static Evaluated eval(Evaluator ev, BinaryExpr e) {
    Evaluated lhs = ev.eval(e.lhs());
    Evaluated rhs = ev.eval(e.rhs());
    BinaryOp op = e.op();
    if (lhs instanceof Evaluated.Scalars l && rhs instanceof Evaluated.Scalars r) {
      double[] out = new double[ev.steps];
      for (int i = 0; i < out.length; i++) {
        double lv = l.values()[i];
        double rv = r.values()[i];
        out[i] = op.isComparison() ? (compare(op, lv, rv) ? 1 : 0) : arithmetic(op, lv, rv);
      }
      return new Evaluated.Scalars(out);
    }
    if (lhs instanceof Evaluated.Scalars l) {
      return new Evaluated.Vectors(vectorScalar(ev, e, ((Evaluated.Vectors) rhs).series(), l.values(), true));
    }
    if (rhs instanceof Evaluated.Scalars r) {
      return new Evaluated.Vectors(vectorScalar(ev, e, ((Evaluated.Vectors) lhs).series(), r.values(), false));
    }
    List<StepSeries> l = ((Evaluated.Vectors) lhs).series();
    List<StepSeries> r = ((Evaluated.Vectors) rhs).series();
    return new Evaluated.Vectors(switch (op) {
      case AND -> and(ev, e.matching(), l, r, false);
      case UNLESS -> and(ev, e.matching(), l, r, true);
      case OR -> or(ev, e.matching(), l, r);
      default -> vectorVector(ev, e, l, r);
    });
  }

  static double arithmetic(BinaryOp op, double l, double r) {
    return switch (op) {
      case ADD -> l + r;
      case SUB -> l - r;
      case MUL -> l * r;
      case DIV -> l / r;
      case MOD -> l % r;
      case POW -> GoMath.pow(l, r);
      case ATAN2 -> Math.atan2(l, r);
      default -> throw new IllegalStateException("not an arithmetic operator: " + op);
    };
  }

  static boolean compare(BinaryOp op, double l, double r) {
    return switch (op) {
      case EQLC -> l == r;
      case NEQ -> l != r;
      case GTR -> l > r;
      case LSS -> l < r;
      case GTE -> l >= r;
      case LTE -> l <= r;
      default -> throw new IllegalStateException("not a comparison operator: " + op);
    };
  }

  private static List<StepSeries> vectorScalar(
      Evaluator ev, BinaryExpr e, List<StepSeries> vector, double[] scalar, boolean scalarLeft) {
    BinaryOp op = e.op();
    boolean dropName = op.dropsMetricName() || e.returnBool();
    VectorBuilder out = new VectorBuilder(ev.steps);
    for (StepSeries s : vector) {
      ev.ctx.checkpoint();
      double[] values = new double[ev.steps];
      boolean[] present = new boolean[ev.steps];
      FloatHistogram[] histograms = null;
      for (int t = 0; t < ev.steps; t++) {
        if (!s.present[t]) {
          continue;
        }
        FloatHistogram h = s.histogram(t);
        if (h != null) {
          FloatHistogram r = scalarLeft ? histogramArithmetic(op, scalar[t], null, 0, h)
              : histogramArithmetic(op, 0, h, scalar[t], null);
          if (r != null) {
            if (histograms == null) {
              histograms = new FloatHistogram[ev.steps];
            }
            histograms[t] = r;
            present[t] = true;
          }
          continue;
        }
        double lv = scalarLeft ? scalar[t] : s.values[t];
        double rv = scalarLeft ? s.values[t] : scalar[t];
        if (op.isComparison()) {
          boolean keep = compare(op, lv, rv);
          if (e.returnBool()) {
            values[t] = keep ? 1 : 0;
          } else if (keep) {
            values[t] = s.values[t]; // a filter keeps the vector's value, whichever side it is on
          } else {
            continue;
          }
        } else {
          values[t] = arithmetic(op, lv, rv);
        }
        present[t] = true;
      }
      out.add(dropName ? s.labels.withoutMetricName() : s.labels, values, present, histograms);
    }
    return out.build(ev.ctx);
  }

  /**
   * {@code lhs op rhs} where either side is a histogram, or null where PromQL defines no result
   * (Prometheus 2.4x): histogram plus or minus histogram, histogram times or divided by a float,
   * float times histogram. Comparisons and every other operator drop histogram samples.
   */
  static FloatHistogram histogramArithmetic(BinaryOp op, double l, FloatHistogram lh, double r, FloatHistogram rh) {
    return switch (op) {
      case ADD -> lh != null && rh != null ? lh.plus(rh).compact() : null;
      case SUB -> lh != null && rh != null ? lh.minus(rh).compact() : null;
      case MUL -> lh != null && rh == null ? lh.times(r) : lh == null && rh != null ? rh.times(l) : null;
      case DIV -> lh != null && rh == null ? lh.dividedBy(r) : null;
      default -> null;
    };
  }

  /** The labels two series are matched on. */
  private static Labels signature(Labels l, VectorMatching m) {
    return m.on() ? l.keep(new HashSet<>(m.matchingLabels())) : l.drop(new HashSet<>(m.matchingLabels()), true);
  }

  /** Series indexes by matching signature. */
  private static Map<Labels, List<Integer>> bySignature(List<StepSeries> series, VectorMatching m) {
    Map<Labels, List<Integer>> out = new LinkedHashMap<>(); // first-seen order keeps errors deterministic
    for (int i = 0; i < series.size(); i++) {
      out.computeIfAbsent(signature(series.get(i).labels, m), k -> new ArrayList<>(1)).add(i);
    }
    return out;
  }

  private static boolean anyPresent(List<StepSeries> series, List<Integer> indexes, int t) {
    if (indexes != null) {
      for (int i : indexes) {
        if (series.get(i).present[t]) {
          return true;
        }
      }
    }
    return false;
  }

  /** {@code and}, or {@code unless} when negated: lhs samples with (without) a match at the step. */
  private static List<StepSeries> and(
      Evaluator ev, VectorMatching m, List<StepSeries> lhs, List<StepSeries> rhs, boolean unless) {
    Map<Labels, List<Integer>> right = bySignature(rhs, m);
    List<StepSeries> out = new ArrayList<>();
    for (StepSeries s : lhs) {
      List<Integer> matches = right.get(signature(s.labels, m));
      boolean[] present = new boolean[ev.steps];
      boolean any = false;
      for (int t = 0; t < ev.steps; t++) {
        present[t] = s.present[t] && anyPresent(rhs, matches, t) != unless;
        any |= present[t];
      }
      if (any) {
        out.add(new StepSeries(s.labels, s.values, present, s.histograms));
      }
    }
    ev.ctx.addSamples((long) out.size() * ev.steps);
    return out;
  }

  /** {@code or}: every lhs sample, and rhs samples whose signature the lhs lacks at that step. */
  private static List<StepSeries> or(Evaluator ev, VectorMatching m, List<StepSeries> lhs, List<StepSeries> rhs) {
    Map<Labels, List<Integer>> left = bySignature(lhs, m);
    List<StepSeries> out = new ArrayList<>(lhs);
    for (StepSeries s : rhs) {
      List<Integer> matches = left.get(signature(s.labels, m));
      boolean[] present = new boolean[ev.steps];
      boolean any = false;
      for (int t = 0; t < ev.steps; t++) {
        present[t] = s.present[t] && !anyPresent(lhs, matches, t);
        any |= present[t];
      }
      if (any) {
        out.add(new StepSeries(s.labels, s.values, present, s.histograms));
      }
    }
    ev.ctx.addSamples((long) out.size() * ev.steps);
    return out;
  }

  /** Arithmetic and comparisons between two vectors: one-to-one, many-to-one or one-to-many. */
  private static List<StepSeries> vectorVector(Evaluator ev, BinaryExpr e, List<StepSeries> lhs, List<StepSeries> rhs) {
    VectorMatching m = e.matching();
    BinaryOp op = e.op();
    boolean swapped = m.card() == Cardinality.ONE_TO_MANY;
    List<StepSeries> many = swapped ? rhs : lhs;
    List<StepSeries> one = swapped ? lhs : rhs;
    Map<Labels, List<Integer>> oneBySig = bySignature(one, m);
    List<Labels> oneSigs = new ArrayList<>(oneBySig.keySet());
    List<List<Integer>> oneGroups = new ArrayList<>(oneSigs.size());
    Map<Labels, Integer> groupIndex = new HashMap<>();
    for (Labels sig : oneSigs) {
      groupIndex.put(sig, oneGroups.size());
      oneGroups.add(oneBySig.get(sig));
    }
    int[] groupOfMany = new int[many.size()];
    for (int i = 0; i < many.size(); i++) {
      Integer g = groupIndex.get(signature(many.get(i).labels, m));
      groupOfMany[i] = g == null ? -1 : g;
    }
    int[] matchedAtStep = new int[oneGroups.size()];
    int[] presentOne = new int[oneGroups.size()];
    // The result labels of many-side series i, cached for its last one-side partner.
    int[] partner = new int[many.size()];
    java.util.Arrays.fill(partner, -1);
    StepSeries[] target = new StepSeries[many.size()];
    String duplicate = m.card() == Cardinality.ONE_TO_ONE
        ? "vector cannot contain metrics with the same labelset"
        : "multiple matches for labels: grouping labels must ensure unique matches";
    VectorBuilder out = new VectorBuilder(ev.steps, duplicate);
    boolean dropName = op.dropsMetricName() || e.returnBool();
    for (int t = 0; t < ev.steps; t++) {
      ev.ctx.checkpoint();
      for (int g = 0; g < oneGroups.size(); g++) {
        presentOne[g] = -1;
        for (int j : oneGroups.get(g)) {
          if (one.get(j).present[t]) {
            if (presentOne[g] >= 0) {
              throw duplicateOnOneSide(oneSigs.get(g), swapped, one.get(j).labels, one.get(presentOne[g]).labels);
            }
            presentOne[g] = j;
          }
        }
      }
      java.util.Arrays.fill(matchedAtStep, 0);
      for (int i = 0; i < many.size(); i++) {
        StepSeries ms = many.get(i);
        int g = groupOfMany[i];
        if (!ms.present[t] || g < 0 || presentOne[g] < 0) {
          continue;
        }
        int j = presentOne[g];
        if (m.card() == Cardinality.ONE_TO_ONE && matchedAtStep[g]++ > 0) {
          throw QueryException.execution(
              "multiple matches for labels: many-to-one matching must be explicit (group_left/group_right)");
        }
        double vl = ms.values[t];
        double vr = one.get(j).values[t];
        FloatHistogram hl = ms.histogram(t);
        FloatHistogram hr = one.get(j).histogram(t);
        if (swapped) {
          double tmp = vl;
          vl = vr;
          vr = tmp;
          FloatHistogram h = hl;
          hl = hr;
          hr = h;
        }
        FloatHistogram histogram = null;
        double value = 0;
        if (hl != null || hr != null) {
          histogram = op.isComparison() ? null : histogramArithmetic(op, vl, hl, vr, hr);
          if (histogram == null) {
            continue;
          }
        } else if (op.isComparison()) {
          boolean keep = compare(op, vl, vr);
          if (e.returnBool()) {
            value = keep ? 1 : 0;
          } else if (keep) {
            value = vl;
          } else {
            continue;
          }
        } else {
          value = arithmetic(op, vl, vr);
        }
        if (partner[i] != j) {
          partner[i] = j;
          target[i] = out.series(resultLabels(ms.labels, one.get(j).labels, m, dropName));
        }
        if (histogram != null) {
          out.setHistogram(target[i], t, histogram);
        } else {
          out.set(target[i], t, value);
        }
      }
    }
    return out.build(ev.ctx);
  }

  private static QueryException duplicateOnOneSide(Labels sig, boolean swapped, Labels a, Labels b) {
    return QueryException.execution("found duplicate series for the match group " + sig + " on the "
        + (swapped ? "left" : "right") + " hand-side of the operation: [" + a + ", " + b
        + "];many-to-many matching not allowed: matching labels must be unique on one side");
  }

  private static Labels resultLabels(Labels many, Labels one, VectorMatching m, boolean dropName) {
    Labels.Builder b = many.toBuilder();
    if (dropName) {
      b.delete(Labels.METRIC_NAME);
    }
    if (m.card() == Cardinality.ONE_TO_ONE) {
      if (m.on()) {
        Set<String> keep = new HashSet<>(m.matchingLabels());
        for (int i = 0; i < many.size(); i++) {
          if (!keep.contains(many.name(i))) {
            b.delete(many.name(i));
          }
        }
      } else {
        for (String l : m.matchingLabels()) {
          b.delete(l);
        }
      }
    }
    for (String l : m.include()) {
      b.set(l, one.get(l));
    }
    return b.build();
  }
}
