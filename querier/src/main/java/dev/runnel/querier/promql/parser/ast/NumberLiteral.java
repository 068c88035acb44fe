package dev.runnel.querier.promql.parser.ast;

import dev.runnel.querier.promql.parser.GoFloats;

public record NumberLiteral(int pos, double value) implements Expr {
  @Override
  public ValueType type() {
    return ValueType.SCALAR;
  }

  @Override
  public String toString() {
    return GoFloats.formatG(value);
  }
}
