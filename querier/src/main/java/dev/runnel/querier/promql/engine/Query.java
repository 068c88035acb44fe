package dev.runnel.querier.promql.engine;

import dev.runnel.querier.promql.model.Labels;
import dev.runnel.querier.promql.parser.ast.Expr;
import dev.runnel.querier.promql.storage.Querier;
import dev.runnel.querier.promql.storage.Queryable;
import dev.runnel.querier.promql.value.FloatHistogram;
import dev.runnel.querier.promql.value.Matrix;
import dev.runnel.querier.promql.value.RangeSeries;
import dev.runnel.querier.promql.value.Sample;
import dev.runnel.querier.promql.value.Scalar;
import dev.runnel.querier.promql.value.StringValue;
import dev.runnel.querier.promql.value.Value;
import dev.runnel.querier.promql.value.Vector;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Comparator;
import java.util.List;

/** One parsed query, ready to run once; {@link #cancel()} may be called from another thread. */
public final class Query {
  private final Engine engine;
  private final Queryable storage;
  private final Expr expr;
  private final long start;
  private final long end;
  private final long step;
  private volatile QueryContext running;
  private volatile boolean canceled;

  Query(Engine engine, Queryable storage, Expr expr, long start, long end, long step) {
    this.engine = engine;
    this.storage = storage;
    this.expr = expr;
    this.start = start;
    this.end = end;
    this.step = step;
  }

  public Expr expr() {
    return expr;
  }

  public boolean isInstant() {
    return step == 0;
  }

  public void cancel() {
    canceled = true;
    QueryContext ctx = running;
    if (ctx != null) {
      ctx.cancel();
    }
  }

  /**
   * Runs the query. An instant query returns any value type; a range query a {@link Matrix}.
   *
   * @throws QueryException when evaluation fails
   */
  public Value execute() {
    EngineOptions options = engine.options();
    long lookback = options.lookbackDeltaMillis();
    try (Querier querier = storage.querier(start - lookback, end)) {
      QueryContext ctx = new QueryContext(querier, options, start, end);
      running = ctx;
      if (canceled) {
        ctx.cancel();
      }
      return isInstant() ? instant(ctx) : range(ctx);
    } catch (StackOverflowError e) {
      throw QueryException.execution("query is nested too deeply to evaluate");
    } finally {
      running = null;
    }
  }

  private Value instant(QueryContext ctx) {
    Evaluator ev = new Evaluator(ctx, start, start, 1);
    if (expr.type() == dev.runnel.querier.promql.parser.ast.ValueType.MATRIX) {
      return rangeVector(ev);
    }
    Evaluated v = ev.eval(expr);
    if (v instanceof Evaluated.Scalars s) {
      return new Scalar(start, s.values()[0]);
    }
    if (v instanceof Evaluated.Text t) {
      return new StringValue(start, t.value());
    }
    List<Sample> samples = new ArrayList<>();
    for (StepSeries s : ((Evaluated.Vectors) v).series()) {
      if (s.present[0]) {
        samples.add(new Sample(s.labels, start, s.values[0], s.histogram(0)));
      }
    }
    return new Vector(samples);
  }

  /** An instant query of a range selector or subquery: the raw samples of the window. */
  private Value rangeVector(Evaluator ev) {
    Evaluator.RangeSpec spec = ev.rangeSpec(expr);
    long evalTime = spec.evalTime(start);
    long from = evalTime - spec.rangeMillis();
    List<RangeSeries> out = new ArrayList<>();
    ev.forEachRangeSeries(expr, spec, (labels, ts, vs, hs, n) -> {
      int lo = 0;
      while (lo < n && ts[lo] < from) {
        lo++;
      }
      int hi = lo;
      while (hi < n && ts[hi] <= evalTime) {
        hi++;
      }
      if (hi > lo) {
        ev.ctx.addSamples(hi - lo);
        out.add(new RangeSeries(labels, Arrays.copyOfRange(ts, lo, hi), Arrays.copyOfRange(vs, lo, hi),
            hs == null ? null : Arrays.copyOfRange(hs, lo, hi)));
      }
    });
    out.sort(Comparator.comparing(RangeSeries::labels));
    return new Matrix(out);
  }

  private Value range(QueryContext ctx) {
    Evaluator ev = new Evaluator(ctx, start, end, step);
    Evaluated v = ev.eval(expr);
    List<StepSeries> series = v instanceof Evaluated.Scalars s
        ? List.of(new StepSeries(Labels.EMPTY, s.values(), allTrue(ev.steps)))
        : ((Evaluated.Vectors) v).series();
    List<RangeSeries> out = new ArrayList<>(series.size());
    for (StepSeries s : series) {
      int n = 0;
      for (boolean p : s.present) {
        n += p ? 1 : 0;
      }
      if (n == 0) {
        continue;
      }
      long[] ts = new long[n];
      double[] vs = new double[n];
      FloatHistogram[] hs = s.histograms == null ? null : new FloatHistogram[n];
      int j = 0;
      for (int i = 0; i < ev.steps; i++) {
        if (s.present[i]) {
          ts[j] = ev.time(i);
          if (hs != null) {
            hs[j] = s.histograms[i];
          }
          vs[j++] = s.values[i];
        }
      }
      out.add(new RangeSeries(s.labels, ts, vs, hs));
    }
    out.sort(Comparator.comparing(RangeSeries::labels));
    return new Matrix(out);
  }

  private static boolean[] allTrue(int n) {
    boolean[] b = new boolean[n];
    Arrays.fill(b, true);
    return b;
  }
}
