package dev.runnel.querier.promql.value;

public record StringValue(long timestampMillis, String value) implements Value {}
