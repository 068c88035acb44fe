package dev.runnel.querier.promql.parser.ast;

/** {@code lhs op [bool] [on|ignoring (...)] [group_left|group_right (...)] rhs}. */
public record BinaryExpr(int pos, BinaryOp op, Expr lhs, Expr rhs, VectorMatching matching, boolean returnBool)
    implements Expr {
  @Override
  public ValueType type() {
    return lhs.type() == ValueType.SCALAR && rhs.type() == ValueType.SCALAR ? ValueType.SCALAR : ValueType.VECTOR;
  }

  @Override
  public String toString() {
    StringBuilder sb = new StringBuilder().append(lhs).append(' ').append(op);
    if (returnBool) {
      sb.append(" bool");
    }
    if (matching != null) {
      if (matching.on() || !matching.matchingLabels().isEmpty()) {
        sb.append(matching.on() ? " on (" : " ignoring (").append(String.join(", ", matching.matchingLabels())).append(')');
      }
      if (matching.card() == VectorMatching.Cardinality.MANY_TO_ONE || matching.card() == VectorMatching.Cardinality.ONE_TO_MANY) {
        sb.append(matching.card() == VectorMatching.Cardinality.MANY_TO_ONE ? " group_left (" : " group_right (")
            .append(String.join(", ", matching.include())).append(')');
      }
    }
    return sb.append(' ').append(rhs).toString();
  }
}
