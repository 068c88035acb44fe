package dev.runnel.log.agent;

import io.prometheus.metrics.core.metrics.Counter;
import io.prometheus.metrics.core.metrics.Gauge;
import io.prometheus.metrics.core.metrics.Histogram;
import org.apache.kafka.common.protocol.ApiKeys;
import org.apache.kafka.common.protocol.Errors;

/** Kafka-protocol metrics of an agent: requests and their latency by API, partition errors, rejected frames, connections. */
final class AgentMetrics {
    static final AgentMetrics INSTANCE = new AgentMetrics();

    private final Counter requests = Counter.builder()
            .name("runnel_agent_requests_total")
            .help("Kafka requests received, by API.")
            .labelNames("api")
            .register();
    private final Histogram requestSeconds = Histogram.builder()
            .name("runnel_agent_request_duration_seconds")
            .help("From a decoded request until its answer is ready, by API: a produce waits here for its flush's commit.")
            .labelNames("api")
            .classicUpperBounds(0.001, 0.005, 0.01, 0.025, 0.05, 0.1, 0.15, 0.2, 0.25, 0.3, 0.35, 0.4, 0.5, 0.75, 1, 2.5, 5, 10)
            .register();
    private final Counter partitionErrors = Counter.builder()
            .name("runnel_agent_partition_errors_total")
            .help("Produce and fetch partitions answered with an error, by API and Kafka error.")
            .labelNames("api", "error")
            .register();
    private final Counter rejectedFrames = Counter.builder()
            .name("runnel_agent_rejected_frames_total")
            .help("Connections closed for a frame that was too large or malformed.")
            .labelNames("reason")
            .register();
    private final Counter producedBytes = Counter.builder()
            .name("runnel_agent_produced_bytes_total")
            .help("Record batch bytes accepted from producers.")
            .register();
    private final Counter fetchedBytes = Counter.builder()
            .name("runnel_agent_fetched_bytes_total")
            .help("Record batch bytes sent to consumers.")
            .register();
    private final Gauge connections = Gauge.builder()
            .name("runnel_agent_connections")
            .help("Open Kafka client connections.")
            .register();

    private AgentMetrics() {
    }

    void request(ApiKeys api) {
        requests.labelValues(api.name).inc();
    }

    void answered(ApiKeys api, long nanos) {
        requestSeconds.labelValues(api.name).observe(nanos / 1e9);
    }

    void partitionError(ApiKeys api, Errors error) {
        partitionErrors.labelValues(api.name, error.name()).inc();
    }

    void rejectedFrame(String reason) {
        rejectedFrames.labelValues(reason).inc();
    }

    void produced(int bytes) {
        producedBytes.inc(bytes);
    }

    void fetched(long bytes) {
        fetchedBytes.inc(bytes);
    }

    void connectionOpened() {
        connections.inc();
    }

    void connectionClosed() {
        connections.dec();
    }
}
