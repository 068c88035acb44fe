package dev.runnel.querier.promql.parser.ast;

public record ParenExpr(int pos, Expr expr) implements Expr {
  @Override
  public ValueType type() {
    return expr.type();
  }

  @Override
  public String toString() {
    return "(" + expr + ")";
  }
}
