package dev.runnel.querier.promql.engine;

import dev.runnel.querier.promql.parser.Parser;
import dev.runnel.querier.promql.parser.ast.Expr;
import dev.runnel.querier.promql.storage.Queryable;

/**
 * The PromQL engine: parses queries and evaluates them over a {@link Queryable}. Thread-safe;
 * each query gets its own state.
 */
public final class Engine {
  private final EngineOptions options;

  public Engine(EngineOptions options) {
    this.options = options;
  }

  public EngineOptions options() {
    return options;
  }

  /**
   * An instant query at one time (ms).
   *
   * @throws dev.runnel.querier.promql.parser.ParseException when the query does not parse
   */
  public Query instantQuery(Queryable storage, String query, long timeMillis) {
    return new Query(this, storage, Parser.parse(query), timeMillis, timeMillis, 0);
  }

  /**
   * A range query from start to end (ms, inclusive) every step ms.
   *
   * @throws dev.runnel.querier.promql.parser.ParseException when the query does not parse
   * @throws IllegalArgumentException when the range or step is invalid, or the expression is
   *     neither a scalar nor an instant vector
   */
  public Query rangeQuery(Queryable storage, String query, long startMillis, long endMillis, long stepMillis) {
    if (stepMillis <= 0) {
      throw new IllegalArgumentException("zero or negative query resolution step widths are not accepted. Try a positive integer");
    }
    if (endMillis < startMillis) {
      throw new IllegalArgumentException("end timestamp must not be before start time");
    }
    Expr expr = Parser.parse(query);
    switch (expr.type()) {
      case SCALAR, VECTOR -> { }
      default -> throw new IllegalArgumentException("invalid expression type \"" + expr.type().description()
          + "\" for range query, must be Scalar or instant Vector");
    }
    return new Query(this, storage, expr, startMillis, endMillis, stepMillis);
  }
}
