package dev.runnel.querier.promql.parser;

/**
 * A query that does not parse or type-check. The message reads like Prometheus':
 * {@code 1:9: parse error: unexpected <by>}, line and column counted from 1.
 */
public final class ParseException extends RuntimeException {
  private final int position;
  private final String detail;

  ParseException(String query, int position, String detail) {
    super(locate(query, position) + ": parse error: " + detail);
    this.position = position;
    this.detail = detail;
  }

  /** The 0-based offset in the query where the error was found. */
  public int position() {
    return position;
  }

  /** The message without the position prefix. */
  public String detail() {
    return detail;
  }

  private static String locate(String query, int position) {
    int line = 1;
    int lastBreak = -1;
    for (int i = 0; i < Math.min(position, query.length()); i++) {
      if (query.charAt(i) == '\n') {
        line++;
        lastBreak = i;
      }
    }
    return line + ":" + (position - lastBreak);
  }
}
