package dev.runnel.benchmarks;

import java.net.URI;
import java.net.http.HttpClient;
import java.time.Duration;
import java.util.Map;
import java.util.OptionalDouble;

/**
 * Object PUTs in a measured window, from two scrapes of the agent's /metrics:
 * {@code runnel_object_store_requests_total{operation="put",outcome="success"}} and friends.
 */
final class PutWindow implements Workload.WindowProbe {
    static final String REQUESTS = "runnel_object_store_requests_total";
    static final String BYTES = "runnel_object_store_bytes_total";
    static final String FLUSHES = "runnel_agent_flushes_total";
    static final String FLUSH_SECONDS = "runnel_agent_flush_duration_seconds";
    static final String PUT_SECONDS = "runnel_object_store_request_duration_seconds";
    static final String REQUEST_SECONDS = "runnel_agent_request_duration_seconds";

    private final HttpClient http = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(2)).build();
    private final URI metrics;
    private Prometheus before;
    private Prometheus after;
    private long startNanos;
    private long endNanos;

    PutWindow(URI metrics) {
        this.metrics = metrics;
    }

    @Override
    public void start() throws Exception {
        startNanos = System.nanoTime();
        before = Prometheus.scrape(http, metrics);
    }

    @Override
    public void end() throws Exception {
        endNanos = System.nanoTime();
        after = Prometheus.scrape(http, metrics);
    }

    boolean complete() {
        return before != null && after != null;
    }

    double seconds() {
        return (endNanos - startNanos) / 1e9;
    }

    /** Delta of a counter between the scrapes; NaN if it is missing from either. */
    double delta(String name, Map<String, String> labels) {
        if (!complete()) {
            return Double.NaN;
        }
        OptionalDouble b = before.sum(name, labels);
        OptionalDouble a = after.sum(name, labels);
        return a.isPresent() && b.isPresent() ? a.getAsDouble() - b.getAsDouble()
                : a.isPresent() ? a.getAsDouble() : Double.NaN;
    }

    double puts() {
        return delta(REQUESTS, Map.of("operation", "put", "outcome", "success"));
    }

    double putsPerSecond() {
        return puts() / seconds();
    }

    double failedPuts() {
        double all = delta(REQUESTS, Map.of("operation", "put"));
        return all - puts();
    }

    double avgPutBytes() {
        return delta(BYTES, Map.of("operation", "put")) / puts();
    }

    /** Flushes of one trigger in the window; 0 when the agent never had one (the series is created on first use). */
    double flushes(String reason) {
        double d = delta(FLUSHES, Map.of("reason", reason));
        return Double.isNaN(d) && complete() && after.sum(FLUSHES, Map.of()).isPresent() ? 0 : d;
    }

    /**
     * The agent's own view of produce latency ({@code runnel_agent_flush_duration_seconds}: first batch of a flush
     * window until its commit) over the window: the upper bound, in ms, of the bucket holding quantile {@code q}.
     */
    double flushDurationBoundMillis(double q) {
        return bucketBoundMillis(FLUSH_SECONDS, Map.of(), q);
    }

    /**
     * Produce requests as the agent saw them ({@code runnel_agent_request_duration_seconds{api="Produce"}}: decoded
     * until answered): the upper bound, in ms, of the bucket holding quantile {@code q}. What the client measures on
     * top of it is its own linger and queueing.
     */
    double produceRequestBoundMillis(double q) {
        return bucketBoundMillis(REQUEST_SECONDS, Map.of("api", "Produce"), q);
    }

    private double bucketBoundMillis(String histogram, Map<String, String> labels, double q) {
        if (!complete()) {
            return Double.NaN;
        }
        java.util.TreeMap<Double, Double> cumulative = new java.util.TreeMap<>();
        for (Prometheus.Sample s : after.samples()) {
            if (s.name().equals(histogram + "_bucket") && s.labels().containsKey("le")
                    && s.labels().entrySet().containsAll(labels.entrySet())) {
                String le = s.labels().get("le");
                double bound = le.equals("+Inf") ? Double.POSITIVE_INFINITY : Double.parseDouble(le);
                Map<String, String> bucket = new java.util.HashMap<>(labels);
                bucket.put("le", le);
                double b = before.sum(histogram + "_bucket", bucket).orElse(0);
                cumulative.merge(bound, s.value() - b, Double::sum);
            }
        }
        if (cumulative.isEmpty()) {
            return Double.NaN;
        }
        double total = cumulative.lastEntry().getValue();
        if (total <= 0) {
            return Double.NaN;
        }
        for (Map.Entry<Double, Double> e : cumulative.entrySet()) {
            if (e.getValue() >= q * total) {
                return e.getKey() * 1000;
            }
        }
        return Double.POSITIVE_INFINITY;
    }

    /** Mean flush duration in ms over the window (sum/count of the histogram). */
    double flushDurationMeanMillis() {
        return delta(FLUSH_SECONDS + "_sum", Map.of()) / delta(FLUSH_SECONDS + "_count", Map.of()) * 1000;
    }

    /** Mean object PUT duration in ms over the window ({@code runnel_object_store_request_duration_seconds}). */
    double putDurationMeanMillis() {
        Map<String, String> put = Map.of("operation", "put");
        return delta(PUT_SECONDS + "_sum", put) / delta(PUT_SECONDS + "_count", put) * 1000;
    }

    boolean putMetricPresent() {
        return complete() && after.sum(REQUESTS, Map.of("operation", "put", "outcome", "success")).isPresent();
    }
}
