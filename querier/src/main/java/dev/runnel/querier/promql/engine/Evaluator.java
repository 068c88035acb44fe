package dev.runnel.querier.promql.engine;

import dev.runnel.querier.promql.model.Labels;
import dev.runnel.querier.promql.model.SampleIterator;
import dev.runnel.querier.promql.model.SampleType;
import dev.runnel.querier.promql.model.Series;
import dev.runnel.querier.promql.model.StaleMarker;
import dev.runnel.querier.promql.parser.ast.AggregateExpr;
import dev.runnel.querier.promql.parser.ast.At;
import dev.runnel.querier.promql.parser.ast.BinaryExpr;
import dev.runnel.querier.promql.parser.ast.Call;
import dev.runnel.querier.promql.parser.ast.Expr;
import dev.runnel.querier.promql.parser.ast.MatrixSelector;
import dev.runnel.querier.promql.parser.ast.NumberLiteral;
import dev.runnel.querier.promql.parser.ast.ParenExpr;
import dev.runnel.querier.promql.parser.ast.StringLiteral;
import dev.runnel.querier.promql.parser.ast.SubqueryExpr;
import dev.runnel.querier.promql.parser.ast.UnaryExpr;
import dev.runnel.querier.promql.parser.ast.VectorSelector;
import dev.runnel.querier.promql.value.FloatHistogram;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;

/**
 * Evaluates an expression at the steps {@code start, start + interval, ..., <= end}. An instant
 * query is a single step. Subqueries evaluate their inner expression with a new evaluator whose
 * steps are aligned to multiples of the subquery step, as in Prometheus.
 */
final class Evaluator {
  final QueryContext ctx;
  final long start;
  final long end;
  final long interval;
  final int steps;

  Evaluator(QueryContext ctx, long start, long end, long interval) {
    this.ctx = ctx;
    this.start = start;
    this.end = end;
    this.interval = interval;
    long n = (end - start) / interval + 1;
    if (n > Integer.MAX_VALUE / 2) {
      throw QueryException.execution("too many steps: " + n);
    }
    this.steps = (int) n;
  }

  long time(int step) {
    return start + step * interval;
  }

  Evaluated eval(Expr e) {
    ctx.checkpoint();
    if (e instanceof NumberLiteral n) {
      double[] v = new double[steps];
      Arrays.fill(v, n.value());
      return new Evaluated.Scalars(v);
    }
    if (e instanceof StringLiteral s) {
      return new Evaluated.Text(s.value());
    }
    if (e instanceof ParenExpr p) {
      return eval(p.expr());
    }
    if (e instanceof UnaryExpr u) {
      return unary(u);
    }
    if (e instanceof VectorSelector vs) {
      return new Evaluated.Vectors(selectVector(vs, false));
    }
    if (e instanceof Call c) {
      return FunctionCalls.call(this, c);
    }
    if (e instanceof AggregateExpr a) {
      return new Evaluated.Vectors(Aggregation.eval(this, a));
    }
    if (e instanceof BinaryExpr b) {
      return BinaryOperations.eval(this, b);
    }
    throw QueryException.execution("a range vector cannot be evaluated here: " + e);
  }

  double[] scalars(Expr e) {
    return ((Evaluated.Scalars) eval(e)).values();
  }

  List<StepSeries> vectors(Expr e) {
    return ((Evaluated.Vectors) eval(e)).series();
  }

  String text(Expr e) {
    return ((Evaluated.Text) eval(e)).value();
  }

  private Evaluated unary(UnaryExpr u) {
    Evaluated inner = eval(u.expr());
    if (!u.negate()) {
      return inner;
    }
    if (inner instanceof Evaluated.Scalars s) {
      double[] v = s.values().clone();
      for (int i = 0; i < v.length; i++) {
        v[i] = -v[i];
      }
      return new Evaluated.Scalars(v);
    }
    VectorBuilder out = new VectorBuilder(steps);
    for (StepSeries s : ((Evaluated.Vectors) inner).series()) {
      double[] v = new double[steps];
      FloatHistogram[] h = s.histograms == null ? null : new FloatHistogram[steps];
      for (int i = 0; i < steps; i++) {
        v[i] = -s.values[i];
        if (h != null && s.histograms[i] != null) {
          h[i] = s.histograms[i].times(-1);
        }
      }
      out.add(s.labels.withoutMetricName(), v, s.present.clone(), h);
    }
    return new Evaluated.Vectors(out.build(ctx));
  }

  /** The time an {@code @} modifier pins to, or null. */
  Long at(At at) {
    return at == null ? null : at.resolve(ctx.queryStart, ctx.queryEnd);
  }

  /**
   * An instant selector at every step: the newest sample no older than the lookback delta,
   * unless that sample is a staleness marker. With {@code timestamps} the value is the sample's
   * timestamp in seconds (for {@code timestamp()}).
   */
  List<StepSeries> selectVector(VectorSelector vs, boolean timestamps) {
    long lookback = ctx.options.lookbackDeltaMillis();
    Long at = at(vs.at());
    long[] refs = new long[steps];
    for (int i = 0; i < steps; i++) {
      refs[i] = (at != null ? at : time(i)) - vs.offsetMillis();
    }
    List<Series> selected = ctx.select(refs[0] - lookback, refs[steps - 1], vs.matchers());
    List<StepSeries> out = new ArrayList<>(selected.size());
    for (Series s : selected) {
      ctx.checkpoint();
      SampleIterator it = s.iterator();
      double[] values = new double[steps];
      boolean[] present = new boolean[steps];
      FloatHistogram[] histograms = null;
      boolean any = false;
      SampleType next = it.next();
      boolean haveCur = false;
      long curT = 0;
      double curV = 0;
      FloatHistogram curH = null;
      for (int i = 0; i < steps; i++) {
        long ref = refs[i];
        while (next != SampleType.NONE && it.timestamp() <= ref) {
          haveCur = true;
          curT = it.timestamp();
          if (next == SampleType.HISTOGRAM) {
            curH = it.histogram();
            curV = 0;
          } else {
            curH = null;
            curV = it.value();
          }
          next = it.next();
        }
        if (haveCur && curT >= ref - lookback && !(curH != null ? curH.isStale() : StaleMarker.is(curV))) {
          present[i] = true;
          any = true;
          if (timestamps) {
            values[i] = curT / 1000.0;
          } else if (curH != null) {
            if (histograms == null) {
              histograms = new FloatHistogram[steps];
            }
            histograms[i] = curH;
          } else {
            values[i] = curV;
          }
        }
      }
      if (any) {
        out.add(new StepSeries(s.labels(), values, present, histograms));
      }
    }
    ctx.addSamples((long) out.size() * steps);
    return out;
  }

  /** Where the windows of a range argument sit relative to each step. */
  record RangeSpec(long rangeMillis, long offsetMillis, Long at) {
    long evalTime(long stepTime) {
      return (at != null ? at : stepTime) - offsetMillis;
    }
  }

  /**
   * Receives the samples of one series of a range argument, in time order, without stale
   * markers. {@code hs} is null when none of them is a histogram, else holds the histogram of
   * each histogram sample (whose {@code vs} entry is then 0) and null for float samples.
   */
  interface RangeConsumer {
    void accept(Labels labels, long[] ts, double[] vs, FloatHistogram[] hs, int n);
  }

  RangeSpec rangeSpec(Expr arg) {
    Expr e = Expr.unwrapParens(arg);
    if (e instanceof MatrixSelector ms) {
      return new RangeSpec(ms.rangeMillis(), ms.selector().offsetMillis(), at(ms.selector().at()));
    }
    SubqueryExpr sq = (SubqueryExpr) e;
    return new RangeSpec(sq.rangeMillis(), sq.offsetMillis(), at(sq.at()));
  }

  /** Feeds every series of a matrix selector or subquery, covering all steps' windows. */
  void forEachRangeSeries(Expr arg, RangeSpec spec, RangeConsumer consumer) {
    Expr e = Expr.unwrapParens(arg);
    long first = spec.evalTime(time(0)) - spec.rangeMillis();
    long last = spec.evalTime(time(steps - 1));
    if (e instanceof MatrixSelector ms) {
      List<Series> selected = ctx.select(first, last, ms.selector().matchers());
      long[] ts = new long[64];
      double[] vs = new double[64];
      FloatHistogram[] hs = null;
      for (Series s : selected) {
        ctx.checkpoint();
        SampleIterator it = s.iterator();
        int n = 0;
        boolean anyHistogram = false;
        SampleType type;
        while ((type = it.next()) != SampleType.NONE) {
          long t = it.timestamp();
          if (t > last) {
            break;
          }
          FloatHistogram h = type == SampleType.HISTOGRAM ? it.histogram() : null;
          double v = h == null ? it.value() : 0;
          if (t < first || (h != null ? h.isStale() : StaleMarker.is(v))) {
            continue;
          }
          if (n == ts.length) {
            ctx.checkTransient(n);
            ts = Arrays.copyOf(ts, 2 * n);
            vs = Arrays.copyOf(vs, 2 * n);
            if (hs != null) {
              hs = Arrays.copyOf(hs, 2 * n);
            }
          }
          if (h != null && hs == null) {
            hs = new FloatHistogram[ts.length];
          }
          if (hs != null) {
            hs[n] = h;
          }
          anyHistogram |= h != null;
          ts[n] = t;
          vs[n] = v;
          n++;
        }
        ctx.checkTransient(n);
        if (n > 0) {
          consumer.accept(s.labels(), ts, vs, anyHistogram ? hs : null, n);
        }
      }
      return;
    }
    SubqueryExpr sq = (SubqueryExpr) e;
    long step = sq.stepMillis() == 0 ? ctx.options.defaultSubqueryStepMillis() : sq.stepMillis();
    long innerStart = -Math.floorDiv(-first, step) * step; // the first multiple of step at or after first
    if (innerStart > last) {
      return;
    }
    Evaluator inner = new Evaluator(ctx, innerStart, last, step);
    long[] ts = new long[inner.steps];
    double[] vs = new double[inner.steps];
    FloatHistogram[] hs = new FloatHistogram[inner.steps];
    for (StepSeries s : inner.vectors(sq.expr())) {
      ctx.checkpoint();
      int n = 0;
      for (int i = 0; i < inner.steps; i++) {
        if (s.present[i]) {
          ts[n] = inner.time(i);
          vs[n] = s.values[i];
          hs[n] = s.histogram(i);
          n++;
        }
      }
      consumer.accept(s.labels, ts, vs, s.histograms == null ? null : hs, n);
    }
  }
}
