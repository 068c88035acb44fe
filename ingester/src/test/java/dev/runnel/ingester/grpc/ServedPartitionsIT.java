package dev.runnel.ingester.grpc;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.runnel.ingester.head.HeadConfig;
import dev.runnel.ingester.head.Heads;
import dev.runnel.ingester.labels.Labels;
import dev.runnel.proto.ingester.v1.IngesterQueryMethods;
import dev.runnel.proto.ingester.v1.LabelMatcher;
import dev.runnel.proto.ingester.v1.ReadConsistency;
import dev.runnel.proto.ingester.v1.SelectRequest;
import dev.runnel.proto.ingester.v1.SelectResponse;
import dev.runnel.proto.ingester.v1.Series;
import io.grpc.CallOptions;
import io.grpc.Channel;
import io.grpc.ClientInterceptors;
import io.grpc.ManagedChannel;
import io.grpc.Metadata;
import io.grpc.Status;
import io.grpc.StatusRuntimeException;
import io.grpc.netty.shaded.io.grpc.netty.NettyChannelBuilder;
import io.grpc.stub.ClientCalls;
import io.grpc.stub.MetadataUtils;
import java.io.IOException;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/** One server for several partitions: a call's partition selects the heads it reads and the waiter it waits on. */
class ServedPartitionsIT {

    private final ServedPartitions partitions = new ServedPartitions();
    private final List<Long> waitedOnPartition3 = new ArrayList<>();
    private IngesterGrpcServer server;
    private ManagedChannel channel;

    @BeforeEach
    void start() throws IOException {
        partitions.add(0, heads("zero"), (p, o, t) -> {
            throw new TimeoutException();
        });
        partitions.add(3, heads("three"), (p, o, t) -> waitedOnPartition3.add(o));
        server = IngesterGrpcServer.start("127.0.0.1", 0, partitions);
        channel = NettyChannelBuilder.forTarget("127.0.0.1:" + server.port()).usePlaintext().build();
    }

    @AfterEach
    void stop() {
        channel.shutdownNow();
        server.close();
    }

    @Test
    void aCallReadsThePartitionItNames() {
        assertThat(select(ReadConsistency.newBuilder().setPartition(0))).containsExactly("zero");
        assertThat(select(ReadConsistency.newBuilder().setPartition(3).setMinOffset(42))).containsExactly("three");
        assertThat(waitedOnPartition3).containsExactly(42L);
        assertThatThrownBy(() -> select(ReadConsistency.newBuilder().setPartition(0).setMinOffset(1)))
                .hasMessageContaining("partition 0 was not consumed up to offset 1");
    }

    @Test
    void aPartitionThisProcessDoesNotServeIsNotFound() {
        assertThatThrownBy(() -> select(ReadConsistency.newBuilder().setPartition(5)))
                .isInstanceOfSatisfying(StatusRuntimeException.class, e -> assertThat(e.getStatus().getCode()).isEqualTo(Status.Code.NOT_FOUND))
                .hasMessageContaining("partition 5 is not served by this ingester process (it serves [0, 3])");

        partitions.remove(3);
        assertThatThrownBy(() -> select(ReadConsistency.newBuilder().setPartition(3)))
                .hasMessageContaining("partition 3 is not served by this ingester process (it serves [0])");
        assertThatThrownBy(() -> partitions.add(0, new Heads(HeadConfig.DEFAULT), ConsistencyWaiter.NONE))
                .hasMessage("partition 0 is already served by this process");
    }

    private static Heads heads(String name) {
        Heads heads = new Heads(HeadConfig.DEFAULT);
        heads.forTenant("t").append(Labels.of("__name__", "m", "p", name), 1000, 1);
        return heads;
    }

    /** The values of label {@code p} of the series of {@code m} the call selects. */
    private List<String> select(ReadConsistency.Builder consistency) {
        SelectRequest request = SelectRequest.newBuilder().setMaxTimeMs(10_000).setConsistency(consistency)
                .addMatchers(LabelMatcher.newBuilder().setType(LabelMatcher.Type.EQ).setName("__name__").setValue("m")).build();
        Metadata headers = new Metadata();
        headers.put(IngesterQueryMethods.TENANT_HEADER, "t");
        Channel tenant = ClientInterceptors.intercept(channel, MetadataUtils.newAttachHeadersInterceptor(headers));
        List<String> values = new ArrayList<>();
        ClientCalls.blockingServerStreamingCall(tenant, IngesterQueryMethods.SELECT,
                CallOptions.DEFAULT.withDeadlineAfter(10, TimeUnit.SECONDS), request).forEachRemaining((SelectResponse r) -> {
                    for (Series s : r.getSeriesList()) {
                        values.add(s.getLabels(3));
                    }
                });
        return values;
    }
}
