package dev.runnel.querier.ingester;

import dev.runnel.proto.ingester.v1.IngesterQueryMethods;
import dev.runnel.proto.ingester.v1.LabelNamesRequest;
import dev.runnel.proto.ingester.v1.LabelValuesRequest;
import dev.runnel.proto.ingester.v1.MetadataRequest;
import dev.runnel.proto.ingester.v1.MetricMetadata;
import dev.runnel.proto.ingester.v1.SelectRequest;
import dev.runnel.proto.ingester.v1.SelectResponse;
import dev.runnel.querier.promql.model.Series;
import io.grpc.CallOptions;
import io.grpc.Channel;
import io.grpc.ClientInterceptors;
import io.grpc.ManagedChannel;
import io.grpc.Metadata;
import io.grpc.StatusRuntimeException;
import io.grpc.netty.shaded.io.grpc.netty.NettyChannelBuilder;
import io.grpc.stub.ClientCalls;
import io.grpc.stub.MetadataUtils;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.Iterator;
import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.function.Supplier;

/**
 * The client of one ingester's query service (ingester/QUERY-API.md): one channel to its
 * address, every call bounded by the call timeout, failures as {@link IngesterQueryException}s.
 * Thread-safe. {@link #select} returns whole, label-sorted results, so answers from several
 * ingesters can be merged by a fan-out in one pass.
 */
public final class IngesterClient implements AutoCloseable {

    /** A batch is about 1 MiB; this leaves room for a batch ending in one very long series. */
    private static final int MAX_MESSAGE_BYTES = 64 << 20;

    private final String address;
    private final Duration timeout;
    private final String zone;
    private final ManagedChannel channel;

    /**
     * A client of the ingester at {@code address} ({@code host:port}); connects lazily, on the first call.
     *
     * @param timeout the deadline of each call, waiting for read-after-write consistency included
     */
    public IngesterClient(String address, Duration timeout) {
        this(address, timeout, "");
    }

    /** As {@link #IngesterClient(String, Duration)}, naming the caller's zone in every call ({@link IngesterQueryMethods#ZONE_HEADER}); empty: not named. */
    public IngesterClient(String address, Duration timeout, String zone) {
        if (timeout.isNegative() || timeout.isZero()) {
            throw new IllegalArgumentException("timeout must be positive: " + timeout);
        }
        this.address = address;
        this.timeout = timeout;
        this.zone = zone;
        this.channel = NettyChannelBuilder.forTarget(address)
                .usePlaintext()
                .maxInboundMessageSize(MAX_MESSAGE_BYTES)
                .build();
    }

    public String address() {
        return address;
    }

    /** The tenant's series the request selects, sorted by labels. */
    public List<Series> select(String tenant, SelectRequest request) {
        return call("select", () -> {
            List<Series> series = new ArrayList<>();
            Iterator<SelectResponse> batches = ClientCalls.blockingServerStreamingCall(
                    channel(tenant), IngesterQueryMethods.SELECT, options(), request);
            while (batches.hasNext()) {
                for (dev.runnel.proto.ingester.v1.Series s : batches.next().getSeriesList()) {
                    series.add(new ProtoSeries(s));
                }
            }
            sortIfNeeded(series);
            return series;
        });
    }

    /** The tenant's label names, sorted. */
    public List<String> labelNames(String tenant, LabelNamesRequest request) {
        return call("label names", () -> ClientCalls.blockingUnaryCall(channel(tenant), IngesterQueryMethods.LABEL_NAMES, options(), request)
                .getNamesList());
    }

    /** The tenant's values of a label, sorted. */
    public List<String> labelValues(String tenant, LabelValuesRequest request) {
        return call("label values", () -> ClientCalls.blockingUnaryCall(channel(tenant), IngesterQueryMethods.LABEL_VALUES, options(), request)
                .getValuesList());
    }

    /** The tenant's metric metadata, sorted by family. */
    public List<MetricMetadata> metadata(String tenant, MetadataRequest request) {
        return call("metadata", () -> ClientCalls.blockingUnaryCall(channel(tenant), IngesterQueryMethods.METADATA, options(), request)
                .getMetadataList());
    }

    /** Closes the channel, cancelling calls still running after 5 seconds. */
    @Override
    public void close() {
        channel.shutdown();
        try {
            if (!channel.awaitTermination(5, TimeUnit.SECONDS)) {
                channel.shutdownNow();
            }
        } catch (InterruptedException e) {
            channel.shutdownNow();
            Thread.currentThread().interrupt();
        }
    }

    private Channel channel(String tenant) {
        if (tenant == null || tenant.isEmpty()) {
            throw new IllegalArgumentException("tenant must not be empty");
        }
        Metadata headers = new Metadata();
        headers.put(IngesterQueryMethods.TENANT_HEADER, tenant);
        if (!zone.isEmpty()) {
            headers.put(IngesterQueryMethods.ZONE_HEADER, zone);
        }
        return ClientInterceptors.intercept(channel, MetadataUtils.newAttachHeadersInterceptor(headers));
    }

    private CallOptions options() {
        return CallOptions.DEFAULT.withDeadlineAfter(timeout.toNanos(), TimeUnit.NANOSECONDS);
    }

    private <T> T call(String method, Supplier<T> call) {
        try {
            return call.get();
        } catch (StatusRuntimeException e) {
            throw new IngesterQueryException(address, method, e.getStatus(), e);
        }
    }

    /** The service sends series sorted; an answer that is not (an older or foreign server) is sorted here. */
    private static void sortIfNeeded(List<Series> series) {
        for (int i = 1; i < series.size(); i++) {
            if (series.get(i - 1).labels().compareTo(series.get(i).labels()) > 0) {
                series.sort(Comparator.comparing(Series::labels));
                return;
            }
        }
    }
}
