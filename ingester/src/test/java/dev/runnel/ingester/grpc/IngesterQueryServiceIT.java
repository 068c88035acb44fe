package dev.runnel.ingester.grpc;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.runnel.ingester.head.HeadConfig;
import dev.runnel.ingester.head.Heads;
import dev.runnel.ingester.head.TenantHead;
import dev.runnel.ingester.labels.Labels;
import dev.runnel.ingester.query.MetricMetadata;
import dev.runnel.proto.ingester.v1.IngesterQueryMethods;
import dev.runnel.proto.ingester.v1.LabelMatcher;
import dev.runnel.proto.ingester.v1.LabelNamesRequest;
import dev.runnel.proto.ingester.v1.LabelValuesRequest;
import dev.runnel.proto.ingester.v1.MetadataRequest;
import dev.runnel.proto.ingester.v1.MetadataResponse;
import dev.runnel.proto.ingester.v1.SelectRequest;
import dev.runnel.proto.ingester.v1.SelectResponse;
import dev.runnel.proto.ingester.v1.Series;
import dev.runnel.proto.prometheus.write.v2.Histogram;
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
import io.prometheus.metrics.model.registry.PrometheusRegistry;
import io.prometheus.metrics.model.snapshots.CounterSnapshot;
import java.io.IOException;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/** The query service on a real server on 127.0.0.1, called without the querier's client. */
class IngesterQueryServiceIT {

    private final Heads heads = new Heads(HeadConfig.DEFAULT);
    private IngesterGrpcServer server;
    private ManagedChannel channel;

    @BeforeEach
    void start() throws IOException {
        TenantHead head = heads.forTenant("t");
        for (int i = 99; i >= 0; i--) { // created out of label order: the answer must still be sorted
            Labels labels = Labels.of("__name__", "m", "i", String.format("%03d", i), "pad", "x".repeat(200));
            for (int t = 0; t < 10; t++) {
                head.append(labels, 1000L * t, i + t);
            }
        }
        Histogram h = Histogram.newBuilder().setCountInt(3).setSum(4.5).setSchema(0).build();
        head.appendHistogram(head.refOf(Labels.of("__name__", "h")), 5000, h);
        head.setMetadata(new MetricMetadata("m", "counter", "Things.", ""));
        // Batches of 4 KiB: each of about 16 series.
        server = IngesterGrpcServer.start("127.0.0.1", 0, new IngesterQueryService(heads, (p, o, timeout) -> {
            throw new TimeoutException();
        }, 4096));
        channel = NettyChannelBuilder.forTarget("127.0.0.1:" + server.port()).usePlaintext().build();
    }

    @AfterEach
    void stop() {
        channel.shutdownNow();
        server.close();
    }

    @Test
    void selectStreamsLabelSortedSeriesInBatches() {
        List<SelectResponse> batches = select("t", request("m").setMinTimeMs(2000).setMaxTimeMs(4000).build());
        assertThat(batches).hasSizeGreaterThan(4);
        List<Series> series = batches.stream().flatMap(b -> b.getSeriesList().stream()).toList();
        assertThat(series).hasSize(100);
        assertThat(series).extracting(s -> s.getLabels(3)).isSorted().startsWith("000");
        Series s7 = series.get(7);
        assertThat(s7.getLabelsList()).containsExactly("__name__", "m", "i", "007", "pad", "x".repeat(200));
        assertThat(s7.getTimestampsList()).containsExactly(2000L, 3000L, 4000L);
        assertThat(s7.getValuesList()).containsExactly(9.0, 10.0, 11.0);
    }

    @Test
    void histogramsComeWithTheirTimestamps() {
        Series h = select("t", request("h").setMaxTimeMs(10_000).build()).get(0).getSeries(0);
        assertThat(h.getTimestampsCount()).isZero();
        assertThat(h.getHistogramsList()).singleElement().satisfies(x -> {
            assertThat(x.getTimestamp()).isEqualTo(5000);
            assertThat(x.getSum()).isEqualTo(4.5);
        });
    }

    @Test
    void labelsAndMetadata() {
        assertThat(ClientCalls.blockingUnaryCall(tenant("t"), IngesterQueryMethods.LABEL_NAMES, options(),
                LabelNamesRequest.getDefaultInstance()).getNamesList()).containsExactly("__name__", "i", "pad");
        assertThat(ClientCalls.blockingUnaryCall(tenant("t"), IngesterQueryMethods.LABEL_VALUES, options(),
                LabelValuesRequest.newBuilder().setName("i").addMatchers(matcher(LabelMatcher.Type.RE, "i", "00[12]")).build())
                .getValuesList()).containsExactly("001", "002");
        MetadataResponse metadata = ClientCalls.blockingUnaryCall(tenant("t"), IngesterQueryMethods.METADATA, options(),
                MetadataRequest.getDefaultInstance());
        assertThat(metadata.getMetadataList()).singleElement().satisfies(m -> {
            assertThat(m.getFamily()).isEqualTo("m");
            assertThat(m.getType()).isEqualTo("counter");
            assertThat(m.getHelp()).isEqualTo("Things.");
        });
    }

    @Test
    void anUnknownTenantHasNoData() {
        assertThat(select("other", request("m").setMaxTimeMs(10_000).build())).isEmpty();
        assertThat(ClientCalls.blockingUnaryCall(tenant("other"), IngesterQueryMethods.METADATA, options(),
                MetadataRequest.getDefaultInstance()).getMetadataCount()).isZero();
    }

    @Test
    void refusalsSayWhatWasWrong() {
        double refusedBefore = requests("Select", "INVALID_ARGUMENT");
        SelectRequest badRegex = request("m").addMatchers(matcher(LabelMatcher.Type.RE, "i", "(?P<x>0|[")).build();
        assertThatThrownBy(() -> select("t", badRegex))
                .isInstanceOfSatisfying(StatusRuntimeException.class, e -> assertThat(e.getStatus().getCode()).isEqualTo(Status.Code.INVALID_ARGUMENT))
                .hasMessageContaining("label matcher i=~\"(?P<x>0|[\" has an invalid regular expression");
        assertThat(requests("Select", "INVALID_ARGUMENT")).isEqualTo(refusedBefore + 1);

        assertThatThrownBy(() -> ClientCalls.blockingServerStreamingCall(channel, IngesterQueryMethods.SELECT, options(), request("m").build()).hasNext())
                .isInstanceOfSatisfying(StatusRuntimeException.class, e -> assertThat(e.getStatus().getCode()).isEqualTo(Status.Code.UNAUTHENTICATED))
                .hasMessageContaining("no tenant: set the gRPC metadata header x-scope-orgid");

        SelectRequest ahead = request("m").setConsistency(dev.runnel.proto.ingester.v1.ReadConsistency.newBuilder().setPartition(2).setMinOffset(77)).build();
        assertThatThrownBy(() -> select("t", ahead))
                .isInstanceOfSatisfying(StatusRuntimeException.class, e -> assertThat(e.getStatus().getCode()).isEqualTo(Status.Code.DEADLINE_EXCEEDED))
                .hasMessageContaining("partition 2 was not consumed up to offset 77 within");
    }

    @Test
    void namedGroupsInRe2SyntaxWork() {
        SelectRequest named = request("m").setMaxTimeMs(10_000).addMatchers(matcher(LabelMatcher.Type.RE, "i", "(?P<x>00)1")).build();
        assertThat(select("t", named).get(0).getSeriesList()).extracting(s -> s.getLabels(3)).containsExactly("001");
    }

    private static double requests(String method, String code) {
        return PrometheusRegistry.defaultRegistry.scrape().stream()
                .filter(s -> s.getMetadata().getPrometheusName().equals("runnel_ingester_query_requests"))
                .flatMap(s -> ((CounterSnapshot) s).getDataPoints().stream())
                .filter(d -> d.getLabels().get("method").equals(method) && d.getLabels().get("code").equals(code))
                .mapToDouble(CounterSnapshot.CounterDataPointSnapshot::getValue)
                .sum();
    }

    private List<SelectResponse> select(String tenant, SelectRequest request) {
        List<SelectResponse> out = new ArrayList<>();
        ClientCalls.blockingServerStreamingCall(tenant(tenant), IngesterQueryMethods.SELECT, options(), request).forEachRemaining(out::add);
        return out;
    }

    private static SelectRequest.Builder request(String name) {
        return SelectRequest.newBuilder().addMatchers(matcher(LabelMatcher.Type.EQ, "__name__", name));
    }

    private static LabelMatcher matcher(LabelMatcher.Type type, String name, String value) {
        return LabelMatcher.newBuilder().setType(type).setName(name).setValue(value).build();
    }

    private Channel tenant(String tenant) {
        Metadata headers = new Metadata();
        headers.put(IngesterQueryMethods.TENANT_HEADER, tenant);
        return ClientInterceptors.intercept(channel, MetadataUtils.newAttachHeadersInterceptor(headers));
    }

    private static CallOptions options() {
        return CallOptions.DEFAULT.withDeadlineAfter(10, TimeUnit.SECONDS);
    }
}
