package dev.runnel.log.objectstore;

import io.prometheus.metrics.core.metrics.Counter;
import io.prometheus.metrics.core.metrics.Histogram;
import io.prometheus.metrics.model.registry.PrometheusRegistry;
import dev.runnel.server.zone.NetworkBytes;
import java.nio.ByteBuffer;
import java.util.List;
import java.util.Objects;
import java.util.concurrent.CompletableFuture;
import java.util.function.LongConsumer;
import java.util.function.ToLongFunction;
import java.util.function.Supplier;

/**
 * Decorates an {@link ObjectStore} with request, byte and latency metrics.
 *
 * <p><b>Why.</b> Object storage bills per request and per byte, and its latency sets the
 * produce and fetch latency of the whole log. These metrics are what cost accounting and
 * latency alerts are computed from, so every call is counted exactly once, when its future
 * completes, whichever way it completes:
 *
 * <ul>
 *   <li>{@code runnel_object_store_requests_total{operation,outcome}}: {@code operation} is
 *       {@code put}, {@code get} (whole object), {@code range_get}, {@code delete} or {@code list}
 *       (S3 bills PUT and LIST at one price, GET at another; the store has no HEAD: the log reads
 *       an object's header with a {@code range_get}); {@code outcome} is
 *       {@code success} or {@code error}. A get of a missing key is an {@code error} (the
 *       request was still made and billed).
 *   <li>{@code runnel_object_store_bytes_total{operation}}: bytes written by successful puts
 *       and bytes read by successful gets and range gets; the same bytes also in
 *       {@code runnel_network_bytes_total{peer="object-store", peer_zone="regional"}}
 *       ({@link NetworkBytes}), beside the zone-to-zone traffic of the other components.
 *   <li>{@code runnel_object_store_request_duration_seconds{operation}}: latency of every
 *       call, successful or not.
 * </ul>
 *
 * <p>The metrics are static and registered once into {@link PrometheusRegistry#defaultRegistry}
 * however many stores are decorated (a static initializer runs once per class loader, so there
 * is no double registration); all instances add to the same series. {@code storeName}
 * only names the store in {@link #toString()}.
 */
public final class InstrumentedObjectStore implements ObjectStore {

    static final Counter REQUESTS = Counter.builder()
            .name("runnel_object_store_requests_total")
            .help("Object store requests by operation and outcome.")
            .labelNames("operation", "outcome")
            .register(PrometheusRegistry.defaultRegistry);

    static final Counter BYTES = Counter.builder()
            .name("runnel_object_store_bytes_total")
            .help("Bytes written by object store puts and read by object store gets and range gets.")
            .labelNames("operation")
            .register(PrometheusRegistry.defaultRegistry);

    static final Histogram DURATION = Histogram.builder()
            .name("runnel_object_store_request_duration_seconds")
            .help("Object store request latency in seconds.")
            .labelNames("operation")
            .classicUpperBounds(0.001, 0.0025, 0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1, 2.5, 5, 10, 30)
            .register(PrometheusRegistry.defaultRegistry);

    private final ObjectStore delegate;
    private final String storeName;
    private final NetworkBytes.Link network;

    /** @param zone the zone of this process, the {@code local_zone} of its object-store traffic */
    public InstrumentedObjectStore(ObjectStore delegate, String storeName, String zone) {
        this.delegate = Objects.requireNonNull(delegate, "delegate");
        this.storeName = Objects.requireNonNull(storeName, "storeName");
        this.network = NetworkBytes.link("object-store", zone, NetworkBytes.REGIONAL);
    }

    public InstrumentedObjectStore(ObjectStore delegate, String storeName) {
        this(delegate, storeName, "");
    }

    @Override
    public CompletableFuture<Void> put(String key, ByteBuffer content) {
        long size = content == null ? 0 : content.remaining(); // before the delegate may read it
        return instrument("put", () -> delegate.put(key, content), ignored -> size, network::sent); // result is null
    }

    @Override
    public CompletableFuture<ByteBuffer> get(String key, long position, int length) {
        return instrument("range_get", () -> delegate.get(key, position, length), ByteBuffer::remaining, network::received);
    }

    @Override
    public CompletableFuture<ByteBuffer> get(String key) {
        return instrument("get", () -> delegate.get(key), ByteBuffer::remaining, network::received);
    }

    @Override
    public CompletableFuture<Void> delete(String key) {
        return instrument("delete", () -> delegate.delete(key), null, null);
    }

    @Override
    public CompletableFuture<List<String>> list(String prefix) {
        return instrument("list", () -> delegate.list(prefix), null, null);
    }

    @Override
    public void close() {
        delegate.close();
    }

    public ObjectStore delegate() {
        return delegate;
    }

    @Override
    public String toString() {
        return "InstrumentedObjectStore[" + storeName + ": " + delegate + "]";
    }

    /**
     * Runs {@code call} and records its outcome before completing the returned future with
     * exactly the delegate's result or failure (not wrapped), so a caller that has seen the
     * future complete also sees the metrics move.
     *
     * @param bytes how many bytes a successful result moved, or {@code null} to count none
     * @param traffic where those bytes go in the network counters
     */
    private static <T> CompletableFuture<T> instrument(
            String operation, Supplier<CompletableFuture<T>> call, ToLongFunction<T> bytes, LongConsumer traffic) {
        long start = System.nanoTime();
        CompletableFuture<T> future;
        try {
            future = call.get();
        } catch (RuntimeException e) { // a delegate that breaks the never-throws contract
            future = CompletableFuture.failedFuture(e);
        }
        CompletableFuture<T> result = new CompletableFuture<>();
        future.whenComplete((value, error) -> {
            try {
                DURATION.labelValues(operation).observe((System.nanoTime() - start) / 1e9);
                if (error == null) {
                    REQUESTS.labelValues(operation, "success").inc();
                    if (bytes != null) {
                        long n = bytes.applyAsLong(value);
                        BYTES.labelValues(operation).inc(n);
                        traffic.accept(n);
                    }
                } else {
                    REQUESTS.labelValues(operation, "error").inc();
                }
            } finally {
                if (error == null) {
                    result.complete(value);
                } else {
                    result.completeExceptionally(error);
                }
            }
        });
        return result;
    }
}
