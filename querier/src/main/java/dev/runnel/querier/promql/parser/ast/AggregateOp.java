package dev.runnel.querier.promql.parser.ast;

import java.util.Locale;

/** The aggregation operators; some take a parameter before the vector. */
public enum AggregateOp {
  SUM(null),
  MIN(null),
  MAX(null),
  AVG(null),
  GROUP(null),
  STDDEV(null),
  STDVAR(null),
  COUNT(null),
  COUNT_VALUES(ValueType.STRING),
  BOTTOMK(ValueType.SCALAR),
  TOPK(ValueType.SCALAR),
  QUANTILE(ValueType.SCALAR);

  private final ValueType paramType;

  AggregateOp(ValueType paramType) {
    this.paramType = paramType;
  }

  /** The type of the parameter, or null when the operator takes none. */
  public ValueType paramType() {
    return paramType;
  }

  /** The operator for a name in any case, or null. */
  public static AggregateOp byName(String name) {
    for (AggregateOp op : values()) {
      if (op.name().equalsIgnoreCase(name)) {
        return op;
      }
    }
    return null;
  }

  @Override
  public String toString() {
    return name().toLowerCase(Locale.ROOT);
  }
}
