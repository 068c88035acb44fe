package dev.runnel.querier.promql.parser.ast;

/** The four PromQL value types, named as Prometheus names them in messages. */
public enum ValueType {
  SCALAR("scalar"),
  STRING("string"),
  VECTOR("instant vector"),
  MATRIX("range vector");

  private final String description;

  ValueType(String description) {
    this.description = description;
  }

  public String description() {
    return description;
  }

  @Override
  public String toString() {
    return description;
  }
}
