package dev.runnel.querier.promql.script;

import dev.runnel.querier.promql.model.Labels;
import dev.runnel.querier.promql.model.StaleMarker;
import dev.runnel.querier.promql.parser.Durations;
import dev.runnel.querier.promql.value.FloatHistogram;
import java.util.ArrayList;
import java.util.List;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * Parses the pieces of the PromQL test-file format: series descriptions ({@code m{a="b"}}),
 * times ({@code 50m}, {@code 10}) and expanding value notation ({@code 1+2x10 _ _x3 stale}).
 */
final class SeriesDescriptions {
  /** A value in a sequence; null marks an omitted step ({@code _}). */
  static final Double OMITTED = null;

  private static final String NUM = "[+-]?(?:[iI][nN][fF]|[nN][aA][nN]|0[xX][0-9a-fA-F]+|[0-9]*\\.?[0-9]+(?:[eE][+-]?[0-9]+)?)";
  private static final Pattern EXPANDING = Pattern.compile("^(" + NUM + ")(?:([+-])(" + NUM.substring(5) + "))?x([0-9]+)$");
  private static final Pattern BLANKS = Pattern.compile("^_x([0-9]+)$");

  private SeriesDescriptions() {}

  /** Splits a line into its series description and the rest. */
  static String[] splitDescription(String line) {
    line = line.trim();
    int brace = line.indexOf('{');
    int space = indexOfSpace(line);
    if (brace >= 0 && (space < 0 || brace < space)) {
      int close = closingBrace(line, brace);
      return new String[] {line.substring(0, close + 1), line.substring(close + 1).trim()};
    }
    if (space < 0) {
      return new String[] {line, ""};
    }
    return new String[] {line.substring(0, space), line.substring(space).trim()};
  }

  private static int indexOfSpace(String s) {
    for (int i = 0; i < s.length(); i++) {
      if (Character.isWhitespace(s.charAt(i))) {
        return i;
      }
    }
    return -1;
  }

  private static int closingBrace(String s, int open) {
    boolean quoted = false;
    for (int i = open; i < s.length(); i++) {
      char c = s.charAt(i);
      if (quoted) {
        if (c == '\\') {
          i++;
        } else if (c == '"') {
          quoted = false;
        }
      } else if (c == '"') {
        quoted = true;
      } else if (c == '}') {
        return i;
      }
    }
    throw new IllegalArgumentException("unclosed '{' in " + s);
  }

  /** Labels of {@code name{a="b", c="d"}}, {@code {a="b"}} or {@code name}. */
  static Labels labels(String desc) {
    Labels.Builder b = Labels.builder();
    int brace = desc.indexOf('{');
    String name = brace < 0 ? desc : desc.substring(0, brace);
    if (!name.isEmpty()) {
      b.set(Labels.METRIC_NAME, name);
    }
    if (brace < 0) {
      return b.build();
    }
    String body = desc.substring(brace + 1, desc.length() - 1);
    int i = 0;
    while (i < body.length()) {
      while (i < body.length() && (body.charAt(i) == ',' || Character.isWhitespace(body.charAt(i)))) {
        i++;
      }
      if (i >= body.length()) {
        break;
      }
      int eq = body.indexOf('=', i);
      String label = body.substring(i, eq).trim();
      int q = body.indexOf('"', eq);
      StringBuilder v = new StringBuilder();
      int j = q + 1;
      for (; body.charAt(j) != '"'; j++) {
        char c = body.charAt(j);
        if (c == '\\') {
          char e = body.charAt(++j);
          v.append(switch (e) {
            case 'n' -> '\n';
            case 't' -> '\t';
            default -> e;
          });
        } else {
          v.append(c);
        }
      }
      b.set(label, v.toString());
      i = j + 1;
    }
    return b.build();
  }

  /** A time of the test format: a duration or a number of seconds. */
  static long time(String s) {
    long d = Durations.parse(s);
    if (d >= 0) {
      return d;
    }
    return Math.round(Double.parseDouble(s) * 1000);
  }

  static double number(String s) {
    String l = s.toLowerCase(java.util.Locale.ROOT);
    return switch (l.replace("+", "")) {
      case "inf" -> l.startsWith("-") ? Double.NEGATIVE_INFINITY : Double.POSITIVE_INFINITY;
      case "-inf" -> Double.NEGATIVE_INFINITY;
      case "nan", "-nan" -> Double.NaN;
      case "stale" -> StaleMarker.VALUE;
      default -> l.startsWith("0x") ? Long.parseLong(s.substring(2), 16) : Double.parseDouble(s);
    };
  }

  /** One point of a series description: a float, or a native histogram when {@code histogram} is set. */
  record Point(double value, FloatHistogram histogram) {
    @Override
    public String toString() {
      return histogram != null ? histogram.toString() : Double.toString(value);
    }
  }

  /**
   * Expands a value sequence: {@code 1+2x3} is {@code 1 3 5 7}, {@code _x2} two omitted steps
   * (null points), {@code {{...}}} a native histogram (see {@link HistogramNotation}).
   */
  static List<Point> points(String text) {
    List<Point> out = new ArrayList<>();
    for (String tok : tokens(text)) {
      if (HistogramNotation.isHistogram(tok)) {
        for (FloatHistogram h : HistogramNotation.expand(tok)) {
          out.add(new Point(0, h));
        }
        continue;
      }
      for (Double v : values(tok)) {
        out.add(v == OMITTED ? null : new Point(v, null));
      }
    }
    return out;
  }

  /** Splits on whitespace outside {@code {{...}}}. */
  private static List<String> tokens(String text) {
    List<String> out = new ArrayList<>();
    int i = 0;
    while (i < text.length()) {
      while (i < text.length() && Character.isWhitespace(text.charAt(i))) {
        i++;
      }
      int start = i;
      while (i < text.length() && !Character.isWhitespace(text.charAt(i))) {
        if (text.startsWith("{{", i)) {
          int close = text.indexOf("}}", i);
          if (close < 0) {
            throw new IllegalArgumentException("unclosed '{{' in " + text);
          }
          i = close + 2;
        } else {
          i++;
        }
      }
      if (i > start) {
        out.add(text.substring(start, i));
      }
    }
    return out;
  }

  /** Expands a float value sequence: {@code 1+2x3} is {@code 1 3 5 7}, {@code _x2} two omitted steps. */
  static List<Double> values(String text) {
    List<Double> out = new ArrayList<>();
    for (String tok : text.trim().split("\\s+")) {
      if (tok.isEmpty()) {
        continue;
      }
      if (tok.equals("_")) {
        out.add(OMITTED);
        continue;
      }
      Matcher blanks = BLANKS.matcher(tok);
      if (blanks.matches()) {
        for (int i = 0; i < Integer.parseInt(blanks.group(1)); i++) {
          out.add(OMITTED);
        }
        continue;
      }
      if (tok.equals("stale")) {
        out.add(StaleMarker.VALUE);
        continue;
      }
      Matcher m = EXPANDING.matcher(tok);
      if (m.matches()) {
        double v = number(m.group(1));
        double inc = m.group(2) == null ? 0 : number(m.group(3)) * (m.group(2).equals("-") ? -1 : 1);
        int n = Integer.parseInt(m.group(4));
        for (int i = 0; i <= n; i++) {
          out.add(v);
          v += inc;
        }
        continue;
      }
      out.add(number(tok));
    }
    return out;
  }
}
