package dev.runnel.querier.promql.value;

public record Scalar(long timestampMillis, double value) implements Value {}
