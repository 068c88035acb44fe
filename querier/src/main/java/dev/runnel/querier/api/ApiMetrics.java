package dev.runnel.querier.api;

import io.prometheus.metrics.core.metrics.Counter;
import io.prometheus.metrics.core.metrics.Histogram;

/** API requests by route and answer, and how long they took. */
final class ApiMetrics {
  static final ApiMetrics INSTANCE = new ApiMetrics();

  private final Counter requests = Counter.builder()
      .name("runnel_querier_requests_total")
      .help("Query API requests answered, by route and HTTP status.")
      .labelNames("route", "status")
      .register();
  private final Histogram duration = Histogram.builder()
      .name("runnel_querier_request_duration_seconds")
      .help("Time from receiving a query API request to answering it, by route.")
      .labelNames("route")
      .classicUpperBounds(0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1, 2.5, 5, 10, 30, 60, 120)
      .register();

  private ApiMetrics() {}

  void answered(String route, int status, long nanos) {
    requests.labelValues(route, Integer.toString(status)).inc();
    duration.labelValues(route).observe(nanos / 1e9);
  }
}
