package dev.runnel.querier.promql.parser.ast;

/** A node of a parsed PromQL expression; {@link #toString()} prints it back as PromQL. */
public sealed interface Expr
    permits AggregateExpr, BinaryExpr, Call, MatrixSelector, NumberLiteral, ParenExpr, StringLiteral,
        SubqueryExpr, UnaryExpr, VectorSelector {
  /** The offset of the node's first character in the query. */
  int pos();

  /** The type of value the node evaluates to. */
  ValueType type();

  /** The expression inside any parentheses. */
  static Expr unwrapParens(Expr e) {
    while (e instanceof ParenExpr p) {
      e = p.expr();
    }
    return e;
  }
}
