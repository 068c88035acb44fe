package dev.runnel.ingester.grpc;

import io.grpc.ForwardingServerCall;
import io.grpc.Metadata;
import io.grpc.ServerCall;
import io.grpc.ServerCallHandler;
import io.grpc.ServerInterceptor;
import io.grpc.Status;
import io.prometheus.metrics.core.metrics.Counter;
import io.prometheus.metrics.core.metrics.Histogram;

/** Counts the query service's calls by method and status code and times them, from arrival to the final status. */
final class QueryMetrics implements ServerInterceptor {

    static final QueryMetrics INSTANCE = new QueryMetrics();

    private final Counter requests = Counter.builder()
            .name("runnel_ingester_query_requests_total")
            .help("Calls to the ingester's query service, by method and gRPC status code.")
            .labelNames("method", "code")
            .register();
    private final Histogram duration = Histogram.builder()
            .name("runnel_ingester_query_duration_seconds")
            .help("Time from a query call's arrival to its final status, by method.")
            .labelNames("method")
            .classicOnly()
            .classicUpperBounds(0.001, 0.0025, 0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1, 2.5, 5, 10, 30)
            .register();

    private QueryMetrics() {
    }

    @Override
    public <Q, R> ServerCall.Listener<Q> interceptCall(ServerCall<Q, R> call, Metadata headers, ServerCallHandler<Q, R> next) {
        long start = System.nanoTime();
        String method = call.getMethodDescriptor().getBareMethodName();
        return next.startCall(new ForwardingServerCall.SimpleForwardingServerCall<>(call) {
            @Override
            public void close(Status status, Metadata trailers) {
                requests.labelValues(method, status.getCode().name()).inc();
                duration.labelValues(method).observe((System.nanoTime() - start) / 1e9);
                super.close(status, trailers);
            }
        }, headers);
    }
}
