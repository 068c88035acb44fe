package dev.runnel.querier.api;

/** Prometheus' API error types and the HTTP status each is answered with. */
enum ErrorType {
  BAD_DATA("bad_data", 400),
  EXECUTION("execution", 422),
  TIMEOUT("timeout", 503),
  CANCELED("canceled", 503),
  UNAVAILABLE("unavailable", 503),
  INTERNAL("internal", 500);

  final String json;
  final int status;

  ErrorType(String json, int status) {
    this.json = json;
    this.status = status;
  }
}
