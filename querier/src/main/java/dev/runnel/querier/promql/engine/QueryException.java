package dev.runnel.querier.promql.engine;

/** A query that failed while evaluating; {@link #reason()} tells the API which status to answer. */
public final class QueryException extends RuntimeException {
  /** Why the query failed. */
  public enum Reason {
    /** The query itself cannot be evaluated, e.g. many-to-many matching: a client error. */
    EXECUTION,
    /** The query would hold more samples than allowed. */
    TOO_MANY_SAMPLES,
    /** The query ran longer than its timeout. */
    TIMEOUT,
    /** The query was cancelled. */
    CANCELED
  }

  private final Reason reason;

  public QueryException(Reason reason, String message) {
    super(message);
    this.reason = reason;
  }

  static QueryException execution(String message) {
    return new QueryException(Reason.EXECUTION, message);
  }

  public Reason reason() {
    return reason;
  }
}
