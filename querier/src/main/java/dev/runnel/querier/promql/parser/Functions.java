package dev.runnel.querier.promql.parser;

import static dev.runnel.querier.promql.parser.ast.ValueType.MATRIX;
import static dev.runnel.querier.promql.parser.ast.ValueType.SCALAR;
import static dev.runnel.querier.promql.parser.ast.ValueType.STRING;
import static dev.runnel.querier.promql.parser.ast.ValueType.VECTOR;

import dev.runnel.querier.promql.parser.ast.Function;
import dev.runnel.querier.promql.parser.ast.ValueType;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

/** The PromQL function table of Prometheus 2.42: names and signatures, checked at parse time. */
public final class Functions {
  private static final Map<String, Function> TABLE = new HashMap<>();

  static {
    for (String name : List.of("abs", "ceil", "exp", "floor", "ln", "log2", "log10", "sgn", "sqrt", "acos", "acosh",
        "asin", "asinh", "atan", "atanh", "cos", "cosh", "sin", "sinh", "tan", "tanh", "deg", "rad", "absent", "sort",
        "sort_desc", "timestamp", "histogram_count", "histogram_sum")) {
      add(name, 0, VECTOR, VECTOR);
    }
    for (String name : List.of("avg_over_time", "count_over_time", "max_over_time", "min_over_time", "sum_over_time",
        "last_over_time", "present_over_time", "stddev_over_time", "stdvar_over_time", "absent_over_time", "changes",
        "resets", "delta", "deriv", "idelta", "increase", "irate", "rate")) {
      add(name, 0, VECTOR, MATRIX);
    }
    for (String name : List.of("day_of_month", "day_of_week", "day_of_year", "days_in_month", "hour", "minute",
        "month", "year")) {
      add(name, 1, VECTOR, VECTOR);
    }
    add("clamp", 0, VECTOR, VECTOR, SCALAR, SCALAR);
    add("clamp_max", 0, VECTOR, VECTOR, SCALAR);
    add("clamp_min", 0, VECTOR, VECTOR, SCALAR);
    add("round", 1, VECTOR, VECTOR, SCALAR);
    add("holt_winters", 0, VECTOR, MATRIX, SCALAR, SCALAR);
    add("predict_linear", 0, VECTOR, MATRIX, SCALAR);
    add("quantile_over_time", 0, VECTOR, SCALAR, MATRIX);
    add("histogram_quantile", 0, VECTOR, SCALAR, VECTOR);
    add("histogram_fraction", 0, VECTOR, SCALAR, SCALAR, VECTOR);
    add("label_replace", 0, VECTOR, VECTOR, STRING, STRING, STRING, STRING);
    add("label_join", -1, VECTOR, VECTOR, STRING, STRING, STRING);
    add("scalar", 0, SCALAR, VECTOR);
    add("vector", 0, VECTOR, SCALAR);
    add("time", 0, SCALAR);
    add("pi", 0, SCALAR);
  }

  private Functions() {}

  private static void add(String name, int optional, ValueType returns, ValueType... args) {
    TABLE.put(name, new Function(name, List.of(args), optional, returns));
  }

  /** The function of that (case-sensitive) name, or null. */
  public static Function get(String name) {
    return TABLE.get(name);
  }
}
