package dev.runnel.querier.promql.parser.ast;

import dev.runnel.querier.promql.parser.Durations;

/** {@code expr[range:step]}; a step of 0 means the engine's default evaluation interval. */
public record SubqueryExpr(int pos, Expr expr, long rangeMillis, long stepMillis, long offsetMillis, At at)
    implements Expr {
  public SubqueryExpr withOffset(long offset) {
    return new SubqueryExpr(pos, expr, rangeMillis, stepMillis, offset, at);
  }

  public SubqueryExpr withAt(At newAt) {
    return new SubqueryExpr(pos, expr, rangeMillis, stepMillis, offsetMillis, newAt);
  }

  @Override
  public ValueType type() {
    return ValueType.MATRIX;
  }

  @Override
  public String toString() {
    return expr + "[" + Durations.format(rangeMillis) + ":" + (stepMillis == 0 ? "" : Durations.format(stepMillis))
        + "]" + VectorSelector.modifiers(at, offsetMillis);
  }
}
