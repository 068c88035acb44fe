package dev.runnel.distributor.http;

import io.prometheus.metrics.core.metrics.Counter;
import io.prometheus.metrics.core.metrics.Histogram;

/** Push requests by answer and protocol, and how long they took. */
final class HttpMetrics {
    static final HttpMetrics INSTANCE = new HttpMetrics();

    private final Counter requests = Counter.builder()
            .name("runnel_distributor_requests_total")
            .help("Push requests answered, by HTTP status and protocol (rw1, rw2, otlp, or unknown when refused before it was known).")
            .labelNames("status", "protocol")
            .register();
    private final Histogram duration = Histogram.builder()
            .name("runnel_distributor_request_duration_seconds")
            .help("Time from receiving a push request to answering it, by protocol.")
            .labelNames("protocol")
            .classicUpperBounds(0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1, 2.5, 5, 10)
            .register();

    private HttpMetrics() {
    }

    void answered(int status, String protocol, long nanos) {
        requests.labelValues(Integer.toString(status), protocol).inc();
        duration.labelValues(protocol).observe(nanos / 1e9);
    }
}
