package dev.runnel.querier.promql.engine;

import dev.runnel.querier.promql.model.Labels;
import dev.runnel.querier.promql.model.Matcher;
import dev.runnel.querier.promql.parser.ast.Call;
import dev.runnel.querier.promql.parser.ast.Expr;
import dev.runnel.querier.promql.parser.ast.MatrixSelector;
import dev.runnel.querier.promql.parser.ast.ValueType;
import dev.runnel.querier.promql.parser.ast.VectorSelector;
import dev.runnel.querier.promql.value.FloatHistogram;
import java.time.Instant;
import java.time.ZoneOffset;
import java.time.ZonedDateTime;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Comparator;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.function.DoubleUnaryOperator;
import java.util.function.ToIntFunction;

/** Evaluates function calls: dispatches range functions and implements the instant ones. */
final class FunctionCalls {
  private static final Map<String, DoubleUnaryOperator> MATH = new HashMap<>();
  private static final Map<String, ToIntFunction<ZonedDateTime>> DATES = new HashMap<>();

  static {
    MATH.put("abs", Math::abs);
    MATH.put("ceil", Math::ceil);
    MATH.put("floor", Math::floor);
    MATH.put("exp", Math::exp);
    MATH.put("sqrt", Math::sqrt);
    MATH.put("ln", Math::log);
    MATH.put("log2", GoMath::log2);
    MATH.put("log10", Math::log10);
    MATH.put("sgn", GoMath::sgn);
    MATH.put("sin", Math::sin);
    MATH.put("cos", Math::cos);
    MATH.put("tan", Math::tan);
    MATH.put("asin", Math::asin);
    MATH.put("acos", Math::acos);
    MATH.put("atan", Math::atan);
    MATH.put("sinh", Math::sinh);
    MATH.put("cosh", Math::cosh);
    MATH.put("tanh", Math::tanh);
    MATH.put("asinh", GoMath::asinh);
    MATH.put("acosh", GoMath::acosh);
    MATH.put("atanh", GoMath::atanh);
    MATH.put("deg", v -> v * 180 / Math.PI);
    MATH.put("rad", v -> v * Math.PI / 180);
    DATES.put("day_of_month", ZonedDateTime::getDayOfMonth);
    DATES.put("day_of_week", d -> d.getDayOfWeek().getValue() % 7);
    DATES.put("day_of_year", ZonedDateTime::getDayOfYear);
    DATES.put("days_in_month", d -> d.toLocalDate().lengthOfMonth());
    DATES.put("hour", ZonedDateTime::getHour);
    DATES.put("minute", ZonedDateTime::getMinute);
    DATES.put("month", ZonedDateTime::getMonthValue);
    DATES.put("year", ZonedDateTime::getYear);
  }

  private FunctionCalls() {}

  static Evaluated call(Evaluator ev, Call c) {
    String name = c.function().name();
    List<Expr> args = c.args();
    RangeFunction rf = RangeFunctions.get(name);
    if (rf != null) {
      return vectors(rangeFunction(ev, c, rf));
    }
    DoubleUnaryOperator math = MATH.get(name);
    if (math != null) {
      return vectors(mapValues(ev, ev.vectors(args.get(0)), true, (t, v) -> math.applyAsDouble(v)));
    }
    ToIntFunction<ZonedDateTime> date = DATES.get(name);
    if (date != null) {
      List<StepSeries> in = args.isEmpty() ? timeVector(ev) : ev.vectors(args.get(0));
      return vectors(mapValues(ev, in, true, (t, v) -> Double.isNaN(v) || Double.isInfinite(v) ? v
          : date.applyAsInt(Instant.ofEpochSecond((long) v).atZone(ZoneOffset.UTC))));
    }
    switch (name) {
      case "time":
        return new Evaluated.Scalars(timeVector(ev).get(0).values);
      case "pi": {
        double[] v = new double[ev.steps];
        Arrays.fill(v, Math.PI);
        return new Evaluated.Scalars(v);
      }
      case "vector":
        return vectors(List.of(new StepSeries(Labels.EMPTY, ev.scalars(args.get(0)).clone(), allPresent(ev.steps))));
      case "scalar":
        return new Evaluated.Scalars(scalar(ev, ev.vectors(args.get(0))));
      case "clamp": {
        double[] min = ev.scalars(args.get(1));
        double[] max = ev.scalars(args.get(2));
        List<StepSeries> in = ev.vectors(args.get(0));
        return vectors(mapValues(ev, in, true, (t, v) -> max[t] < min[t] ? Double.NaN : Math.max(min[t], Math.min(max[t], v)),
            (t) -> !(max[t] < min[t])));
      }
      case "clamp_max": {
        double[] max = ev.scalars(args.get(1));
        return vectors(mapValues(ev, ev.vectors(args.get(0)), true, (t, v) -> Math.min(max[t], v)));
      }
      case "clamp_min": {
        double[] min = ev.scalars(args.get(1));
        return vectors(mapValues(ev, ev.vectors(args.get(0)), true, (t, v) -> Math.max(min[t], v)));
      }
      case "round": {
        double[] to = args.size() > 1 ? ev.scalars(args.get(1)) : null;
        return vectors(mapValues(ev, ev.vectors(args.get(0)), true, (t, v) -> {
          double inverse = 1.0 / (to == null ? 1 : to[t]);
          return Math.floor(v * inverse + 0.5) / inverse;
        }));
      }
      case "timestamp": {
        Expr arg = Expr.unwrapParens(args.get(0));
        if (arg instanceof VectorSelector vs) {
          return vectors(mapValues(ev, ev.selectVector(vs, true), true, (t, v) -> v));
        }
        return vectors(mapValues(ev, ev.vectors(arg), true, (t, v) -> ev.time(t) / 1000.0));
      }
      case "sort":
      case "sort_desc":
        return vectors(sort(ev, ev.vectors(args.get(0)), name.equals("sort_desc")));
      case "absent":
        return vectors(absent(ev, args.get(0), ev.vectors(args.get(0))));
      case "absent_over_time":
        return vectors(absentOverTime(ev, args.get(0)));
      case "label_replace":
        return vectors(LabelFunctions.replace(ev, ev.vectors(args.get(0)), ev.text(args.get(1)), ev.text(args.get(2)),
            ev.text(args.get(3)), ev.text(args.get(4))));
      case "label_join": {
        List<String> sources = new ArrayList<>();
        for (Expr a : args.subList(3, args.size())) {
          sources.add(ev.text(a));
        }
        return vectors(LabelFunctions.join(ev, ev.vectors(args.get(0)), ev.text(args.get(1)), ev.text(args.get(2)), sources));
      }
      case "histogram_quantile":
        return vectors(HistogramQuantile.eval(ev, ev.scalars(args.get(0)), ev.vectors(args.get(1))));
      case "histogram_count":
        return vectors(NativeHistograms.map(ev, ev.vectors(args.get(0)), FloatHistogram::count));
      case "histogram_sum":
        return vectors(NativeHistograms.map(ev, ev.vectors(args.get(0)), FloatHistogram::sum));
      case "histogram_fraction": {
        double[] lower = ev.scalars(args.get(0));
        double[] upper = ev.scalars(args.get(1));
        return vectors(NativeHistograms.map(ev, ev.vectors(args.get(2)),
            (t, h) -> NativeHistograms.fraction(lower[t], upper[t], h)));
      }
      default:
        throw QueryException.execution("function " + name + "() is not implemented");
    }
  }

  private static Evaluated vectors(List<StepSeries> s) {
    return new Evaluated.Vectors(s);
  }

  private static boolean[] allPresent(int steps) {
    boolean[] p = new boolean[steps];
    Arrays.fill(p, true);
    return p;
  }

  /** The query's step times as a vector {@code {}} in seconds, what date functions default to. */
  private static List<StepSeries> timeVector(Evaluator ev) {
    double[] v = new double[ev.steps];
    for (int i = 0; i < v.length; i++) {
      v[i] = ev.time(i) / 1000.0;
    }
    return List.of(new StepSeries(Labels.EMPTY, v, allPresent(ev.steps)));
  }

  @FunctionalInterface
  interface StepValueFunction {
    double apply(int step, double value);
  }

  @FunctionalInterface
  interface StepFilter {
    boolean keep(int step);
  }

  static List<StepSeries> mapValues(Evaluator ev, List<StepSeries> in, boolean dropName, StepValueFunction f) {
    return mapValues(ev, in, dropName, f, t -> true);
  }

  private static List<StepSeries> mapValues(
      Evaluator ev, List<StepSeries> in, boolean dropName, StepValueFunction f, StepFilter filter) {
    VectorBuilder out = new VectorBuilder(ev.steps);
    for (StepSeries s : in) {
      ev.ctx.checkpoint();
      double[] values = new double[ev.steps];
      boolean[] present = new boolean[ev.steps];
      for (int t = 0; t < ev.steps; t++) {
        if (s.hasFloat(t) && filter.keep(t)) {
          values[t] = f.apply(t, s.values[t]);
          present[t] = true;
        }
      }
      out.add(dropName ? s.labels.withoutMetricName() : s.labels, values, present);
    }
    return out.build(ev.ctx);
  }

  private static double[] scalar(Evaluator ev, List<StepSeries> in) {
    double[] out = new double[ev.steps];
    for (int t = 0; t < ev.steps; t++) {
      int n = 0;
      double v = Double.NaN;
      for (StepSeries s : in) {
        if (s.present[t]) {
          n++;
          v = s.hasFloat(t) ? s.values[t] : Double.NaN;
        }
      }
      out[t] = n == 1 ? v : Double.NaN;
    }
    return out;
  }

  /** sort and sort_desc order an instant query's result; NaN comes last either way. */
  private static List<StepSeries> sort(Evaluator ev, List<StepSeries> in, boolean descending) {
    if (ev.steps != 1) {
      return in; // range query results are ordered by labels anyway
    }
    List<StepSeries> out = new ArrayList<>(in);
    Comparator<StepSeries> byValue = (a, b) -> {
      double va = a.values[0];
      double vb = b.values[0];
      boolean na = Double.isNaN(va);
      boolean nb = Double.isNaN(vb);
      if (na || nb) {
        return Boolean.compare(na, nb);
      }
      return descending ? Double.compare(vb, va) : Double.compare(va, vb);
    };
    out.sort(byValue);
    return out;
  }

  /** The labels absent() reports: those fixed by equality matchers of a plain selector. */
  private static Labels absentLabels(Expr arg) {
    List<Matcher> matchers;
    if (arg instanceof VectorSelector vs) {
      matchers = vs.matchers();
    } else if (arg instanceof MatrixSelector ms) {
      matchers = ms.selector().matchers();
    } else {
      return Labels.EMPTY;
    }
    Labels.Builder b = Labels.builder();
    Set<String> ambiguous = new HashSet<>();
    Set<String> seen = new HashSet<>();
    for (Matcher m : matchers) {
      if (m.name().equals(Labels.METRIC_NAME)) {
        continue;
      }
      if (m.type() == Matcher.Type.EQUAL && seen.add(m.name())) {
        b.set(m.name(), m.value());
      } else {
        ambiguous.add(m.name());
      }
    }
    ambiguous.forEach(b::delete);
    return b.build();
  }

  private static List<StepSeries> absent(Evaluator ev, Expr arg, List<StepSeries> in) {
    StepSeries out = new StepSeries(absentLabels(arg), ev.steps);
    for (int t = 0; t < ev.steps; t++) {
      boolean any = false;
      for (StepSeries s : in) {
        any |= s.present[t];
      }
      if (!any) {
        out.present[t] = true;
        out.values[t] = 1;
      }
    }
    return out.isEmpty() ? List.of() : List.of(out);
  }

  private static List<StepSeries> absentOverTime(Evaluator ev, Expr arg) {
    RangeFunction present = w -> true;
    List<StepSeries> in = rangeFunctionOver(ev, arg, present, new double[0][], false);
    return absent(ev, Expr.unwrapParens(arg) instanceof MatrixSelector ms ? ms : null, in);
  }

  private static List<StepSeries> rangeFunction(Evaluator ev, Call c, RangeFunction f) {
    int matrixArg = -1;
    List<double[]> scalars = new ArrayList<>();
    for (int i = 0; i < c.args().size(); i++) {
      if (c.function().argType(i) == ValueType.MATRIX) {
        matrixArg = i;
      } else {
        scalars.add(ev.scalars(c.args().get(i)));
      }
    }
    boolean dropName = !c.function().name().equals("last_over_time");
    return rangeFunctionOver(ev, c.args().get(matrixArg), f, scalars.toArray(new double[0][]), dropName);
  }

  /** Slides each series' window along the steps and applies the function to every non-empty one. */
  private static List<StepSeries> rangeFunctionOver(
      Evaluator ev, Expr arg, RangeFunction f, double[][] scalars, boolean dropName) {
    Evaluator.RangeSpec spec = ev.rangeSpec(arg);
    // Series from storage have distinct labels; with one fixed metric name they stay distinct
    // without it, so the duplicate check (a hash map of every output series) can be skipped.
    boolean distinct = !dropName || hasFixedMetricName(arg);
    VectorBuilder out = new VectorBuilder(ev.steps);
    List<StepSeries> direct = new ArrayList<>();
    RangeWindow w = new RangeWindow();
    w.rangeMillis = spec.rangeMillis();
    ev.forEachRangeSeries(arg, spec, (labels, ts, vs, hs, n) -> {
      double[] values = null;
      boolean[] present = null;
      FloatHistogram[] histograms = null;
      int lo = 0;
      int hi = 0;
      w.ts = ts;
      w.vs = vs;
      w.hs = hs;
      for (int t = 0; t < ev.steps; t++) {
        long stepTime = ev.time(t);
        long evalTime = spec.evalTime(stepTime);
        long from = evalTime - spec.rangeMillis();
        while (lo < n && ts[lo] < from) {
          lo++;
        }
        if (hi < lo) {
          hi = lo;
        }
        while (hi < n && ts[hi] <= evalTime) {
          hi++;
        }
        if (hi == lo) {
          continue;
        }
        w.from = lo;
        w.to = hi;
        w.rangeStart = from;
        w.rangeEnd = evalTime;
        w.stepTime = stepTime;
        for (int a = 0; a < scalars.length; a++) {
          w.args[a] = scalars[a][t];
        }
        w.resultHistogram = null;
        if (f.apply(w)) {
          if (values == null) {
            values = new double[ev.steps];
            present = new boolean[ev.steps];
          }
          present[t] = true;
          if (w.resultHistogram != null) {
            if (histograms == null) {
              histograms = new FloatHistogram[ev.steps];
            }
            histograms[t] = w.resultHistogram;
          } else {
            values[t] = w.result;
          }
        }
      }
      if (values != null) {
        Labels l = dropName ? labels.withoutMetricName() : labels;
        if (distinct) {
          direct.add(new StepSeries(l, values, present, histograms));
        } else {
          out.add(l, values, present, histograms);
        }
      }
    });
    if (distinct) {
      ev.ctx.addSamples((long) direct.size() * ev.steps);
      return direct;
    }
    return out.build(ev.ctx);
  }

  private static boolean hasFixedMetricName(Expr arg) {
    if (Expr.unwrapParens(arg) instanceof MatrixSelector ms) {
      for (Matcher m : ms.selector().matchers()) {
        if (m.name().equals(Labels.METRIC_NAME) && m.type() == Matcher.Type.EQUAL) {
          return true;
        }
      }
    }
    return false;
  }
}
