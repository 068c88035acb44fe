package dev.runnel.querier.promql.value;

/** A query result: a scalar, a string, an instant vector or a range vector (matrix). */
public sealed interface Value permits Scalar, StringValue, Vector, Matrix {}
