package dev.runnel.querier.api;

/** What a metric's exposition said about it: {@code # TYPE}, {@code # HELP}, {@code # UNIT}. */
public record MetricMetadata(String metric, String type, String help, String unit) {}
