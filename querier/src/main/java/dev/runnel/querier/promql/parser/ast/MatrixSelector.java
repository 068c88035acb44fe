package dev.runnel.querier.promql.parser.ast;

import dev.runnel.querier.promql.parser.Durations;

/** {@code selector[range]}; the offset and {@code @} modifiers live in the selector. */
public record MatrixSelector(int pos, VectorSelector selector, long rangeMillis) implements Expr {
  @Override
  public ValueType type() {
    return ValueType.MATRIX;
  }

  @Override
  public String toString() {
    return selector.selectorString() + "[" + Durations.format(rangeMillis) + "]"
        + VectorSelector.modifiers(selector.at(), selector.offsetMillis());
  }
}
