package dev.runnel.querier.promql.parser.ast;

import java.util.List;

/** {@code op [by|without (labels)] ([param,] expr)}; {@code param} is null for most operators. */
public record AggregateExpr(int pos, AggregateOp op, Expr expr, Expr param, List<String> grouping, boolean without)
    implements Expr {
  public AggregateExpr {
    grouping = List.copyOf(grouping);
  }

  @Override
  public ValueType type() {
    return ValueType.VECTOR;
  }

  @Override
  public String toString() {
    StringBuilder sb = new StringBuilder(op.toString());
    if (without) {
      sb.append(" without (").append(String.join(", ", grouping)).append(") ");
    } else if (!grouping.isEmpty()) {
      sb.append(" by (").append(String.join(", ", grouping)).append(") ");
    }
    sb.append('(');
    if (param != null) {
      sb.append(param).append(", ");
    }
    return sb.append(expr).append(')').toString();
  }
}
