package dev.runnel.querier.promql.script;

import dev.runnel.querier.promql.engine.Engine;
import dev.runnel.querier.promql.engine.EngineOptions;
import dev.runnel.querier.promql.model.Labels;
import dev.runnel.querier.promql.parser.GoFloats;
import dev.runnel.querier.promql.parser.Parser;
import dev.runnel.querier.promql.parser.ast.Expr;
import dev.runnel.querier.promql.script.SeriesDescriptions.Point;
import dev.runnel.querier.promql.storage.memory.MemoryStorage;
import dev.runnel.querier.promql.value.FloatHistogram;
import dev.runnel.querier.promql.value.Matrix;
import dev.runnel.querier.promql.value.RangeSeries;
import dev.runnel.querier.promql.value.Sample;
import dev.runnel.querier.promql.value.Scalar;
import dev.runnel.querier.promql.value.Value;
import dev.runnel.querier.promql.value.Vector;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * Runs a script in Prometheus' PromQL test-file format against the engine and an in-memory
 * store: {@code load <step>}, {@code clear}, {@code eval[_fail|_ordered] instant at <t> <expr>}
 * and {@code eval[_fail] range from <t> to <t> step <d> <expr>}. Each eval becomes a
 * {@link CaseResult}; an instant eval is also checked as a range query around its time, as
 * Prometheus' own test runner does.
 */
public final class ScriptRunner {
  /** The outcome of one eval command. */
  public record CaseResult(String id, String query, String failure) {
    public boolean passed() {
      return failure == null;
    }
  }

  private static final double EPSILON = 0.000001;

  private final Engine engine = new Engine(EngineOptions.defaults());
  private final MemoryStorage storage = new MemoryStorage();

  /** Runs a whole script; {@code name} prefixes case ids ({@code name:line}). */
  public List<CaseResult> run(String name, String script) {
    List<CaseResult> results = new ArrayList<>();
    String[] lines = script.split("\n", -1);
    int i = 0;
    while (i < lines.length) {
      String line = lines[i].strip();
      int lineNo = i + 1;
      i++;
      if (line.isEmpty() || line.startsWith("#")) {
        continue;
      }
      List<String> block = new ArrayList<>();
      while (i < lines.length && !lines[i].isBlank() && Character.isWhitespace(lines[i].charAt(0))) {
        if (!lines[i].strip().startsWith("#")) {
          block.add(lines[i].strip());
        }
        i++;
      }
      if (line.equals("clear")) {
        storage.clear();
      } else if (line.startsWith("load ")) {
        load(SeriesDescriptions.time(line.substring(5).trim()), block);
      } else if (line.startsWith("eval")) {
        String id = name + ":" + lineNo;
        String failure;
        try {
          failure = eval(line, block);
        } catch (RuntimeException e) {
          failure = "runner error: " + e;
        }
        results.add(new CaseResult(id, line, failure));
      } else {
        throw new IllegalArgumentException(name + ":" + lineNo + ": unknown command: " + line);
      }
    }
    return results;
  }

  private void load(long step, List<String> block) {
    // A series defined twice in one load keeps its last definition, as in Prometheus.
    Map<Labels, List<Point>> defs = new LinkedHashMap<>();
    for (String def : block) {
      String[] parts = SeriesDescriptions.splitDescription(def);
      defs.put(SeriesDescriptions.labels(parts[0]), SeriesDescriptions.points(parts[1]));
    }
    defs.forEach((labels, points) -> {
      for (int k = 0; k < points.size(); k++) {
        Point p = points.get(k);
        if (p == null) {
          continue;
        }
        if (p.histogram() != null) {
          storage.append(labels, k * step, p.histogram());
        } else {
          storage.append(labels, k * step, p.value());
        }
      }
    });
  }

  private String eval(String line, List<String> expected) {
    String[] head = line.split("\\s+", 2);
    String kind = head[0];
    boolean fail = kind.equals("eval_fail");
    boolean ordered = kind.equals("eval_ordered");
    String rest = head[1];
    if (rest.startsWith("instant at ")) {
      String[] p = rest.substring("instant at ".length()).split("\\s+", 2);
      long t = SeriesDescriptions.time(p[0]);
      String failure = evalInstant(p[1], t, expected, fail, ordered);
      if (failure != null) {
        return failure;
      }
      // As Prometheus' runner does: pinned to t with @, the query must give the same result at
      // other evaluation times. This also round-trips the query through the AST printer.
      Expr pinned;
      try {
        pinned = AtPinning.pin(Parser.parse(p[1]), t);
      } catch (RuntimeException e) {
        return null; // an eval_fail case that does not parse
      }
      if (pinned == null) {
        return null;
      }
      long[] times = t == 0 ? new long[] {-1000, 0, 1000} : new long[] {-10 * t, 0, t / 5, t, 10 * t};
      for (long other : times) {
        String f = evalInstant(pinned.toString(), other, expected, fail, ordered);
        if (f != null) {
          return "pinned as " + pinned + " at " + other + "ms: " + f;
        }
      }
      return null;
    }
    if (rest.startsWith("range from ")) {
      String[] p = rest.substring("range from ".length()).split("\\s+", 6);
      // from <t> to <t> step <d> <expr>
      long from = SeriesDescriptions.time(p[0]);
      long to = SeriesDescriptions.time(p[2]);
      long step = SeriesDescriptions.time(p[4]);
      return evalRange(p[5], from, to, step, expected, fail);
    }
    throw new IllegalArgumentException("unknown eval form: " + line);
  }

  private String evalInstant(String query, long t, List<String> expected, boolean fail, boolean ordered) {
    Value v;
    try {
      v = engine.instantQuery(storage, query, t).execute();
    } catch (RuntimeException e) {
      return fail ? null : "unexpected error: " + e.getMessage();
    }
    if (fail) {
      return "expected an error, got " + v;
    }
    String mismatch = compareInstant(v, expected, ordered);
    if (mismatch != null || ordered) {
      return mismatch;
    }
    // The same query as a range query around t must give the same value at t.
    Value r;
    try {
      r = engine.rangeQuery(storage, query, t - 60_000, t + 60_000, 60_000).execute();
    } catch (RuntimeException e) {
      return "error in range mode: " + e.getMessage();
    }
    List<Sample> atT = new ArrayList<>();
    for (RangeSeries s : ((Matrix) r).series()) {
      for (int i = 0; i < s.size(); i++) {
        if (s.timestamp(i) == t) {
          atT.add(new Sample(s.labels(), t, s.value(i), s.histogram(i)));
        }
      }
    }
    Value asInstant = v instanceof Scalar ? new Scalar(t, atT.isEmpty() ? Double.NaN : atT.get(0).value()) : new Vector(atT);
    String rangeMismatch = compareInstant(asInstant, expected, false);
    return rangeMismatch == null ? null : "in range mode: " + rangeMismatch;
  }

  private static String compareInstant(Value v, List<String> expected, boolean ordered) {
    if (v instanceof Scalar s) {
      if (expected.size() != 1) {
        return "expected " + expected.size() + " lines, got scalar " + s.value();
      }
      double e = SeriesDescriptions.number(expected.get(0).trim());
      return almostEqual(e, s.value()) ? null : "expected scalar " + e + ", got " + s.value();
    }
    if (!(v instanceof Vector vec)) {
      return "expected an instant vector, got " + v;
    }
    Map<Labels, Point> want = new LinkedHashMap<>();
    Map<Labels, Integer> position = new HashMap<>();
    for (String e : expected) {
      String[] parts = SeriesDescriptions.splitDescription(e);
      Labels l = SeriesDescriptions.labels(parts[0]);
      position.put(l, want.size());
      want.put(l, SeriesDescriptions.points(parts[1]).get(0));
    }
    for (int i = 0; i < vec.samples().size(); i++) {
      Sample s = vec.samples().get(i);
      Point w = want.get(s.labels());
      if (w == null) {
        return "unexpected series " + s.labels() + " " + describe(s) + " (got " + describe(vec) + ")";
      }
      if (ordered && position.get(s.labels()) != i) {
        return "series " + s.labels() + " at position " + i + ", expected " + position.get(s.labels());
      }
      if (!matches(w, s.value(), s.histogram())) {
        return "series " + s.labels() + ": expected " + w + ", got " + describe(s);
      }
    }
    if (vec.samples().size() != want.size()) {
      return "expected " + want.size() + " series, got " + vec.samples().size() + ": " + describe(vec);
    }
    return null;
  }

  private static boolean matches(Point want, double value, FloatHistogram histogram) {
    if (want.histogram() != null || histogram != null) {
      return want.histogram() != null && histogram != null && HistogramNotation.almostEqual(want.histogram(), histogram);
    }
    return almostEqual(want.value(), value);
  }

  private static String describe(Sample s) {
    return s.histogram() != null ? s.histogram().toString() : GoFloats.formatG(s.value());
  }

  private static String describe(Vector v) {
    StringBuilder sb = new StringBuilder("[");
    for (Sample s : v.samples()) {
      sb.append(s.labels()).append(' ').append(describe(s)).append("; ");
    }
    return sb.append(']').toString();
  }

  private String evalRange(String query, long from, long to, long step, List<String> expected, boolean fail) {
    Value v;
    try {
      v = engine.rangeQuery(storage, query, from, to, step).execute();
    } catch (RuntimeException e) {
      return fail ? null : "unexpected error: " + e.getMessage();
    }
    if (fail) {
      return "expected an error, got " + v;
    }
    Map<Labels, List<Point>> want = new HashMap<>();
    for (String e : expected) {
      String[] parts = SeriesDescriptions.splitDescription(e);
      want.put(SeriesDescriptions.labels(parts[0]), SeriesDescriptions.points(parts[1]));
    }
    Matrix m = (Matrix) v;
    for (RangeSeries s : m.series()) {
      List<Point> w = want.get(s.labels());
      if (w == null) {
        return "unexpected series " + s;
      }
      int j = 0;
      for (int k = 0; k < w.size(); k++) {
        long t = from + k * step;
        boolean has = j < s.size() && s.timestamp(j) == t;
        if (w.get(k) == null) {
          if (has) {
            return "series " + s.labels() + ": expected no value at " + t + ", got " + point(s, j);
          }
          continue;
        }
        if (!has) {
          return "series " + s.labels() + ": expected " + w.get(k) + " at " + t + ", got none";
        }
        if (!matches(w.get(k), s.value(j), s.histogram(j))) {
          return "series " + s.labels() + ": expected " + w.get(k) + " at " + t + ", got " + point(s, j);
        }
        j++;
      }
      if (j != s.size()) {
        return "series " + s.labels() + " has more points than expected: " + s;
      }
    }
    if (m.series().size() != want.size()) {
      return "expected " + want.size() + " series, got " + m.series().size() + ": " + m.series();
    }
    return null;
  }

  private static String point(RangeSeries s, int j) {
    return s.histogram(j) != null ? s.histogram(j).toString() : Double.toString(s.value(j));
  }

  static boolean almostEqual(double a, double b) {
    if (Double.isNaN(a) && Double.isNaN(b)) {
      return true;
    }
    if (a == b) {
      return true;
    }
    double diff = Math.abs(a - b);
    if (a == 0 || b == 0 || diff < Double.MIN_NORMAL) {
      return diff < EPSILON * Double.MIN_NORMAL;
    }
    return diff / (Math.abs(a) + Math.abs(b)) < EPSILON;
  }
}
