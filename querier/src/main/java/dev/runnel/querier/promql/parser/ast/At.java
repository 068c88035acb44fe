package dev.runnel.querier.promql.parser.ast;

/** An {@code @} modifier: a fixed timestamp, or the query's start or end. */
public record At(Kind kind, long timestampMillis) {
  /** Which time the modifier pins evaluation to. */
  public enum Kind {
    TIMESTAMP,
    START,
    END
  }

  public static At timestamp(long millis) {
    return new At(Kind.TIMESTAMP, millis);
  }

  /** The pinned time of a query running from start to end. */
  public long resolve(long start, long end) {
    return switch (kind) {
      case TIMESTAMP -> timestampMillis;
      case START -> start;
      case END -> end;
    };
  }

  @Override
  public String toString() {
    return switch (kind) {
      case TIMESTAMP -> String.format(java.util.Locale.ROOT, "@ %.3f", timestampMillis / 1000.0);
      case START -> "@ start()";
      case END -> "@ end()";
    };
  }
}
