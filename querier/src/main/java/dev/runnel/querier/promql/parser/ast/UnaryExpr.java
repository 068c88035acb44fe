package dev.runnel.querier.promql.parser.ast;

/** {@code -expr} or {@code +expr}; the minus negates and drops the metric name. */
public record UnaryExpr(int pos, boolean negate, Expr expr) implements Expr {
  @Override
  public ValueType type() {
    return expr.type();
  }

  @Override
  public String toString() {
    return (negate ? "-" : "+") + expr;
  }
}
