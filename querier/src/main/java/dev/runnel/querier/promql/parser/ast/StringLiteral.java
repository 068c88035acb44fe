package dev.runnel.querier.promql.parser.ast;

import dev.runnel.querier.promql.model.Strings;

public record StringLiteral(int pos, String value) implements Expr {
  @Override
  public ValueType type() {
    return ValueType.STRING;
  }

  @Override
  public String toString() {
    return Strings.quote(value);
  }
}
