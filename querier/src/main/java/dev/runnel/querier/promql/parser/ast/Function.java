package dev.runnel.querier.promql.parser.ast;

import java.util.List;

/**
 * A PromQL function's signature. {@code optional} is how many trailing arguments may be left
 * out, or -1 when the last argument type may repeat without bound.
 */
public record Function(String name, List<ValueType> argTypes, int optional, ValueType returnType) {
  public Function {
    argTypes = List.copyOf(argTypes);
  }

  /** The type expected for argument i (a repeating last type covers the rest). */
  public ValueType argType(int i) {
    return argTypes.get(Math.min(i, argTypes.size() - 1));
  }
}
