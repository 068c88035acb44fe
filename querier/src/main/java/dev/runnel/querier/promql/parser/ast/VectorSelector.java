package dev.runnel.querier.promql.parser.ast;

import dev.runnel.querier.promql.model.Labels;
import dev.runnel.querier.promql.model.Matcher;
import dev.runnel.querier.promql.parser.Durations;
import java.util.List;
import java.util.stream.Collectors;

/**
 * An instant vector selector. {@code matchers} holds every matcher, including the
 * {@code __name__} one implied by a leading metric name; {@code at} is null without {@code @}.
 */
public record VectorSelector(int pos, String name, List<Matcher> matchers, long offsetMillis, At at) implements Expr {
  public VectorSelector {
    matchers = List.copyOf(matchers);
  }

  public VectorSelector withOffset(long offset) {
    return new VectorSelector(pos, name, matchers, offset, at);
  }

  public VectorSelector withAt(At newAt) {
    return new VectorSelector(pos, name, matchers, offsetMillis, newAt);
  }

  @Override
  public ValueType type() {
    return ValueType.VECTOR;
  }

  /** The selector without its modifiers. */
  public String selectorString() {
    List<Matcher> shown = matchers.stream()
        .filter(m -> name == null || !(m.name().equals(Labels.METRIC_NAME) && m.type() == Matcher.Type.EQUAL))
        .collect(Collectors.toList());
    StringBuilder sb = new StringBuilder(name == null ? "" : name);
    if (name == null || !shown.isEmpty()) {
      sb.append('{').append(shown.stream().map(Matcher::toString).collect(Collectors.joining(", "))).append('}');
    }
    return sb.toString();
  }

  /** The {@code @} and {@code offset} suffix, with a leading space when not empty. */
  static String modifiers(At at, long offsetMillis) {
    StringBuilder sb = new StringBuilder();
    if (at != null) {
      sb.append(' ').append(at);
    }
    if (offsetMillis != 0) {
      sb.append(" offset ").append(offsetMillis < 0 ? "-" : "").append(Durations.format(Math.abs(offsetMillis)));
    }
    return sb.toString();
  }

  @Override
  public String toString() {
    return selectorString() + modifiers(at, offsetMillis);
  }
}
