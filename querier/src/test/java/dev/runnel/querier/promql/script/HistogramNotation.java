package dev.runnel.querier.promql.script;

import dev.runnel.querier.promql.value.FloatHistogram;
import java.util.ArrayList;
import java.util.List;

/**
 * The native histogram notation of Prometheus' later test files: {@code {{schema:0 count:4
 * sum:6 z_bucket:1 z_bucket_w:0.001 offset:0 buckets:[1 2] n_offset:1 n_buckets:[1]}}}, where
 * {@code offset} is the index of the first of the consecutive {@code buckets}; and the series
 * forms {@code {{...}}xN} (N+1 copies) and {@code {{a}}+{{b}}xN} (a, a+b, a+2b, ...).
 */
final class HistogramNotation {
  private HistogramNotation() {}

  static boolean isHistogram(String token) {
    return token.startsWith("{{");
  }

  /** Expands one token of a series description into its histograms. */
  static List<FloatHistogram> expand(String token) {
    int end = token.indexOf("}}") + 2;
    FloatHistogram first = parse(token.substring(0, end));
    String rest = token.substring(end);
    List<FloatHistogram> out = new ArrayList<>();
    if (rest.isEmpty()) {
      out.add(first);
      return out;
    }
    FloatHistogram increment = null;
    boolean minus = false;
    if (rest.startsWith("+{{") || rest.startsWith("-{{")) {
      minus = rest.charAt(0) == '-';
      int incEnd = rest.indexOf("}}") + 2;
      increment = parse(rest.substring(1, incEnd));
      rest = rest.substring(incEnd);
    }
    if (!rest.startsWith("x")) {
      throw new IllegalArgumentException("bad histogram series: " + token);
    }
    int n = Integer.parseInt(rest.substring(1));
    FloatHistogram h = first;
    for (int i = 0; i <= n; i++) {
      out.add(h);
      if (increment != null) {
        h = minus ? h.minus(increment) : h.plus(increment);
      }
    }
    return out;
  }

  static FloatHistogram parse(String text) {
    String body = text.substring(2, text.length() - 2).trim();
    int schema = 0;
    double count = 0;
    double sum = 0;
    double zeroCount = 0;
    double zeroThreshold = 0;
    int offset = 0;
    int negativeOffset = 0;
    double[] buckets = new double[0];
    double[] negative = new double[0];
    int i = 0;
    while (i < body.length()) {
      int colon = body.indexOf(':', i);
      String key = body.substring(i, colon).trim();
      int valueEnd;
      String value;
      if (body.charAt(colon + 1) == '[') {
        valueEnd = body.indexOf(']', colon) + 1;
        value = body.substring(colon + 2, valueEnd - 1).trim();
      } else {
        valueEnd = body.indexOf(' ', colon);
        valueEnd = valueEnd < 0 ? body.length() : valueEnd;
        value = body.substring(colon + 1, valueEnd);
      }
      switch (key) {
        case "schema" -> schema = Integer.parseInt(value);
        case "count" -> count = SeriesDescriptions.number(value);
        case "sum" -> sum = SeriesDescriptions.number(value);
        case "z_bucket" -> zeroCount = SeriesDescriptions.number(value);
        case "z_bucket_w" -> zeroThreshold = SeriesDescriptions.number(value);
        case "offset" -> offset = Integer.parseInt(value);
        case "n_offset" -> negativeOffset = Integer.parseInt(value);
        case "buckets" -> buckets = numbers(value);
        case "n_buckets" -> negative = numbers(value);
        default -> throw new IllegalArgumentException("unknown histogram field " + key + " in " + text);
      }
      i = valueEnd;
      while (i < body.length() && body.charAt(i) == ' ') {
        i++;
      }
    }
    return new FloatHistogram(schema, zeroThreshold, zeroCount, count, sum, span(offset, buckets), buckets,
        span(negativeOffset, negative), negative);
  }

  private static FloatHistogram.Span[] span(int offset, double[] buckets) {
    return buckets.length == 0 ? new FloatHistogram.Span[0] : new FloatHistogram.Span[] {new FloatHistogram.Span(offset, buckets.length)};
  }

  private static double[] numbers(String list) {
    if (list.isEmpty()) {
      return new double[0];
    }
    String[] parts = list.split("\\s+");
    double[] out = new double[parts.length];
    for (int i = 0; i < parts.length; i++) {
      out[i] = SeriesDescriptions.number(parts[i]);
    }
    return out;
  }

  /** Whether two histograms agree: the same schema, and counts, sum and populated buckets almost equal. */
  static boolean almostEqual(FloatHistogram a, FloatHistogram b) {
    FloatHistogram x = a.compact();
    FloatHistogram y = b.compact();
    return x.schema() == y.schema() && ScriptRunner.almostEqual(x.count(), y.count())
        && ScriptRunner.almostEqual(x.sum(), y.sum()) && ScriptRunner.almostEqual(x.zeroCount(), y.zeroCount())
        && ScriptRunner.almostEqual(x.zeroThreshold(), y.zeroThreshold())
        && java.util.Arrays.equals(x.positiveSpans(), y.positiveSpans())
        && java.util.Arrays.equals(x.negativeSpans(), y.negativeSpans())
        && allAlmostEqual(x.positiveBuckets(), y.positiveBuckets()) && allAlmostEqual(x.negativeBuckets(), y.negativeBuckets());
  }

  private static boolean allAlmostEqual(double[] a, double[] b) {
    for (int i = 0; i < a.length; i++) {
      if (!ScriptRunner.almostEqual(a[i], b[i])) {
        return false;
      }
    }
    return a.length == b.length;
  }
}
