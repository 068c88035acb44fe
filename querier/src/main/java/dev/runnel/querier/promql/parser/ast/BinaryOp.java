package dev.runnel.querier.promql.parser.ast;

/** Binary operators with their precedence (higher binds tighter), as in Prometheus. */
public enum BinaryOp {
  OR("or", 1),
  AND("and", 2),
  UNLESS("unless", 2),
  EQLC("==", 3),
  NEQ("!=", 3),
  LTE("<=", 3),
  LSS("<", 3),
  GTE(">=", 3),
  GTR(">", 3),
  ADD("+", 4),
  SUB("-", 4),
  MUL("*", 5),
  DIV("/", 5),
  MOD("%", 5),
  ATAN2("atan2", 5),
  POW("^", 6);

  /** The precedence unary minus and plus bind with. */
  public static final int UNARY_PRECEDENCE = 5;

  private final String symbol;
  private final int precedence;

  BinaryOp(String symbol, int precedence) {
    this.symbol = symbol;
    this.precedence = precedence;
  }

  public int precedence() {
    return precedence;
  }

  public boolean rightAssociative() {
    return this == POW;
  }

  public boolean isComparison() {
    return precedence == 3;
  }

  public boolean isSetOperator() {
    return this == AND || this == OR || this == UNLESS;
  }

  /**
   * Arithmetic operators change a sample's meaning, so their results lose the metric name.
   * Prometheus 2.42 keeps it for atan2.
   */
  public boolean dropsMetricName() {
    return !isComparison() && !isSetOperator() && this != ATAN2;
  }

  @Override
  public String toString() {
    return symbol;
  }
}
