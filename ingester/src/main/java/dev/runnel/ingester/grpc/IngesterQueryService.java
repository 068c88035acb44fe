package dev.runnel.ingester.grpc;

import dev.runnel.ingester.head.Heads;
import dev.runnel.ingester.head.TenantHead;
import dev.runnel.ingester.query.MetricMetadata;
import dev.runnel.ingester.query.Querier;
import dev.runnel.proto.ingester.v1.IngesterQueryMethods;
import dev.runnel.proto.ingester.v1.LabelNamesRequest;
import dev.runnel.proto.ingester.v1.LabelNamesResponse;
import dev.runnel.proto.ingester.v1.LabelValuesRequest;
import dev.runnel.proto.ingester.v1.LabelValuesResponse;
import dev.runnel.proto.ingester.v1.MetadataRequest;
import dev.runnel.proto.ingester.v1.MetadataResponse;
import dev.runnel.proto.ingester.v1.ReadConsistency;
import dev.runnel.proto.ingester.v1.SelectRequest;
import dev.runnel.proto.ingester.v1.SelectResponse;
import io.grpc.Context;
import io.grpc.Deadline;
import io.grpc.ServerServiceDefinition;
import io.grpc.Status;
import io.grpc.StatusRuntimeException;
import io.grpc.stub.ServerCalls;
import io.grpc.stub.StreamObserver;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The ingester's query service (ingester/QUERY-API.md) over the heads: the call's
 * {@code ReadConsistency.partition} selects the partition's heads ({@link ServedPartitions}), the
 * tenant comes from the call's {@code x-scope-orgid} header (see {@link Tenants}); a tenant without
 * a head has no data, so it gets empty answers. Before reading, a call with a minimum offset waits
 * for the partition's {@link ConsistencyWaiter} until the call's deadline.
 */
final class IngesterQueryService {

    private static final Logger log = LoggerFactory.getLogger(IngesterQueryService.class);

    /** How long a read-after-write call without a deadline may wait for its offset. */
    static final Duration MAX_WAIT_WITHOUT_DEADLINE = Duration.ofSeconds(30);

    private final ServedPartitions partitions;
    private final SelectEncoder encoder;

    IngesterQueryService(ServedPartitions partitions) {
        this(partitions, SelectEncoder.DEFAULT_BATCH_BYTES);
    }

    IngesterQueryService(Heads heads, ConsistencyWaiter waiter, int batchBytes) {
        this(ServedPartitions.single(heads, waiter), batchBytes);
    }

    IngesterQueryService(ServedPartitions partitions, int batchBytes) {
        this.partitions = partitions;
        this.encoder = new SelectEncoder(batchBytes);
    }

    /** The service's methods; they read the tenant {@link Tenants} put in the context, so serve them behind it. */
    ServerServiceDefinition definition() {
        return ServerServiceDefinition.builder(IngesterQueryMethods.SERVICE_NAME)
                .addMethod(IngesterQueryMethods.SELECT, ServerCalls.asyncServerStreamingCall(this::select))
                .addMethod(IngesterQueryMethods.LABEL_NAMES, ServerCalls.asyncUnaryCall(this::labelNames))
                .addMethod(IngesterQueryMethods.LABEL_VALUES, ServerCalls.asyncUnaryCall(this::labelValues))
                .addMethod(IngesterQueryMethods.METADATA, ServerCalls.asyncUnaryCall(this::metadata))
                .build();
    }

    private void select(SelectRequest request, StreamObserver<SelectResponse> out) {
        answer(out, request.getConsistency(), querier -> {
            if (querier != null) {
                encoder.stream(querier.select(request.getMinTimeMs(), request.getMaxTimeMs(),
                        ProtoMatchers.fromProto(request.getMatchersList())), Context.current(), out);
            }
            return null;
        });
    }

    private void labelNames(LabelNamesRequest request, StreamObserver<LabelNamesResponse> out) {
        answer(out, request.getConsistency(), querier -> LabelNamesResponse.newBuilder()
                .addAllNames(querier == null ? List.of() : querier.labelNames(ProtoMatchers.fromProto(request.getMatchersList())))
                .build());
    }

    private void labelValues(LabelValuesRequest request, StreamObserver<LabelValuesResponse> out) {
        answer(out, request.getConsistency(), querier -> LabelValuesResponse.newBuilder()
                .addAllValues(querier == null ? List.of()
                        : querier.labelValues(request.getName(), ProtoMatchers.fromProto(request.getMatchersList())))
                .build());
    }

    private void metadata(MetadataRequest request, StreamObserver<MetadataResponse> out) {
        answer(out, request.getConsistency(), querier -> {
            MetadataResponse.Builder response = MetadataResponse.newBuilder();
            if (querier != null) {
                for (MetricMetadata m : querier.metadata(request.getFamily().isEmpty() ? null : request.getFamily())) {
                    response.addMetadataBuilder().setFamily(m.family()).setType(m.type()).setHelp(m.help()).setUnit(m.unit());
                }
            }
            return response.build();
        });
    }

    /** What a call does once it may read: with the tenant's querier, or null if the tenant has no head. */
    private interface Read<R> {
        /** The single answer of a unary call; null for a streaming call, which sends its own. */
        R read(Querier querier);
    }

    private <R> void answer(StreamObserver<R> out, ReadConsistency consistency, Read<R> read) {
        try {
            ServedPartitions.Served served = partitions.get(consistency.getPartition());
            awaitConsistency(served.waiter(), consistency);
            TenantHead head = served.heads().get(Tenants.current());
            R response = read.read(head == null ? null : head.querier());
            if (response != null) {
                out.onNext(response);
            }
            out.onCompleted();
        } catch (IllegalArgumentException e) {
            out.onError(Status.INVALID_ARGUMENT.withDescription(e.getMessage()).asRuntimeException());
        } catch (StatusRuntimeException e) {
            out.onError(e);
        } catch (RuntimeException e) {
            log.warn("Query for tenant {} failed", Tenants.current(), e);
            out.onError(Status.INTERNAL.withDescription("query failed: " + e).withCause(e).asRuntimeException());
        }
    }

    private static void awaitConsistency(ConsistencyWaiter waiter, ReadConsistency consistency) {
        if (!consistency.hasMinOffset()) {
            return;
        }
        Deadline deadline = Context.current().getDeadline();
        Duration timeout = deadline == null ? MAX_WAIT_WITHOUT_DEADLINE : Duration.ofNanos(Math.max(0, deadline.timeRemaining(TimeUnit.NANOSECONDS)));
        try {
            waiter.awaitOffset(consistency.getPartition(), consistency.getMinOffset(), timeout);
        } catch (TimeoutException e) {
            throw Status.DEADLINE_EXCEEDED.withDescription("partition " + consistency.getPartition() + " was not consumed up to offset "
                    + consistency.getMinOffset() + " within " + timeout.toMillis() + " ms").asRuntimeException();
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw Status.CANCELLED.withDescription("interrupted while waiting for partition " + consistency.getPartition()
                    + " to be consumed up to offset " + consistency.getMinOffset()).asRuntimeException();
        }
    }
}
