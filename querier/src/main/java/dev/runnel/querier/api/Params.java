package dev.runnel.querier.api;

import dev.runnel.querier.promql.model.Matcher;
import dev.runnel.querier.promql.parser.Durations;
import dev.runnel.querier.promql.parser.ParseException;
import dev.runnel.querier.promql.parser.Parser;
import java.time.OffsetDateTime;
import java.time.format.DateTimeFormatter;
import java.time.format.DateTimeParseException;
import java.util.ArrayList;
import java.util.List;
import java.util.regex.Pattern;

/** Parses the API's parameters as Prometheus does: times, durations and series selectors. */
final class Params {
  /** Prometheus' earliest and latest times (ms), the defaults of series and label queries. */
  static final long MIN_TIME = (Long.MIN_VALUE / 1000 + 62135596801L) * 1000;
  static final long MAX_TIME = (Long.MAX_VALUE / 1000 - 62135596801L) * 1000 + 999;
  // The forms Prometheus prints them in, which its parser accepts back.
  private static final String MIN_TIME_TEXT = "-292273086-05-16T16:47:06Z";
  private static final String MAX_TIME_TEXT = "292277025-08-18T07:12:54.999999999Z";

  // Go's strconv.ParseFloat syntax for finite decimal numbers (Java's also takes "1d" or " 1").
  // Go also takes "Inf" and "NaN", which make no time or duration: here they fail to parse.
  private static final Pattern GO_FLOAT = Pattern.compile("[+-]?(?:\\d+(?:\\.\\d*)?|\\.\\d+)(?:[eE][+-]?\\d+)?");

  private Params() {}

  /** A time parameter in ms, or the default when it is absent or empty. */
  static long time(ApiRequest request, String name, long defaultMillis) throws ApiException {
    String text = request.value(name);
    if (text.isEmpty()) {
      return defaultMillis;
    }
    try {
      return parseTime(text);
    } catch (IllegalArgumentException e) {
      throw ApiException.invalidParameter(name, "Invalid time value for '" + name + "': " + e.getMessage());
    }
  }

  /** A required time parameter in ms. */
  static long requiredTime(ApiRequest request, String name) throws ApiException {
    try {
      return parseTime(request.value(name));
    } catch (IllegalArgumentException e) {
      throw ApiException.invalidParameter(name, e.getMessage());
    }
  }

  /** Unix seconds (with up to millisecond precision; finer is rounded) or RFC 3339, in ms. */
  static long parseTime(String s) {
    if (GO_FLOAT.matcher(s).matches()) {
      double seconds = Double.parseDouble(s);
      if (seconds >= MIN_TIME / 1000.0 && seconds <= MAX_TIME / 1000.0) {
        double whole = seconds < 0 ? Math.ceil(seconds) : Math.floor(seconds);
        return (long) whole * 1000 + Math.round((seconds - whole) * 1000);
      }
    } else if (s.equals(MIN_TIME_TEXT)) {
      return MIN_TIME;
    } else if (s.equals(MAX_TIME_TEXT)) {
      return MAX_TIME;
    } else {
      try {
        return OffsetDateTime.parse(s, DateTimeFormatter.ISO_OFFSET_DATE_TIME).toInstant().toEpochMilli();
      } catch (DateTimeParseException | ArithmeticException e) {
        // falls through to the error below
      }
    }
    throw new IllegalArgumentException("cannot parse \"" + s + "\" to a valid timestamp");
  }

  /** A duration parameter in ns: float seconds or a Prometheus duration such as {@code 5m}. */
  static long durationNanos(ApiRequest request, String name) throws ApiException {
    String s = request.value(name);
    double seconds = GO_FLOAT.matcher(s).matches() ? Double.parseDouble(s) : Double.NaN;
    if (Double.isFinite(seconds)) {
      double nanos = seconds * 1e9;
      if (nanos >= 0x1p63 || nanos < -0x1p63) {
        throw ApiException.invalidParameter(name, "cannot parse \"" + s + "\" to a valid duration. It overflows int64");
      }
      return (long) nanos;
    }
    long millis = Durations.parse(s);
    if (millis >= 0 && millis <= Long.MAX_VALUE / 1_000_000) {
      return millis * 1_000_000;
    }
    throw ApiException.invalidParameter(name, "cannot parse \"" + s + "\" to a valid duration");
  }

  /**
   * The {@code match[]} selectors, each a list of matchers; every selector needs a matcher that
   * does not match the empty string, so that it cannot select every series.
   */
  static List<List<Matcher>> matcherSets(ApiRequest request) throws ApiException {
    List<List<Matcher>> sets = new ArrayList<>();
    for (String selector : request.values("match[]")) {
      try {
        sets.add(Parser.parseSelector(selector).matchers());
      } catch (ParseException e) {
        throw ApiException.invalidParameter("match[]", e.getMessage());
      }
    }
    for (List<Matcher> set : sets) {
      if (set.stream().allMatch(Matcher::matchesEmpty)) {
        throw ApiException.invalidParameter("match[]", "match[] must contain at least one non-empty matcher");
      }
    }
    return sets;
  }
}
