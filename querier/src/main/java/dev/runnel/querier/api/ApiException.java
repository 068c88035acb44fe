package dev.runnel.querier.api;

/** A request the API answers with a Prometheus error: its type and message. */
final class ApiException extends Exception {
  final ErrorType type;

  ApiException(ErrorType type, String message) {
    super(message, null, false, false);
    this.type = type;
  }

  static ApiException badData(String message) {
    return new ApiException(ErrorType.BAD_DATA, message);
  }

  /** Prometheus' wording for a parameter that does not parse: {@code invalid parameter "time": ...}. */
  static ApiException invalidParameter(String name, String why) {
    return badData("invalid parameter \"" + name + "\": " + why);
  }
}
