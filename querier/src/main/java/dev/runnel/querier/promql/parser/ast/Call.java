package dev.runnel.querier.promql.parser.ast;

import java.util.List;
import java.util.stream.Collectors;

public record Call(int pos, Function function, List<Expr> args) implements Expr {
  public Call {
    args = List.copyOf(args);
  }

  @Override
  public ValueType type() {
    return function.returnType();
  }

  @Override
  public String toString() {
    return function.name() + "(" + args.stream().map(Expr::toString).collect(Collectors.joining(", ")) + ")";
  }
}
