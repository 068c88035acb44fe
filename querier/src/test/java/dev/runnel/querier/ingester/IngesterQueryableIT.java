package dev.runnel.querier.ingester;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.runnel.ingester.grpc.ConsistencyWaiter;
import dev.runnel.ingester.grpc.IngesterGrpcServer;
import dev.runnel.ingester.head.HeadConfig;
import dev.runnel.ingester.head.Heads;
import dev.runnel.ingester.head.TenantHead;
import dev.runnel.proto.ingester.v1.IngesterQueryMethods;
import dev.runnel.proto.ingester.v1.LabelMatcher;
import dev.runnel.proto.ingester.v1.SelectRequest;
import dev.runnel.proto.ingester.v1.SelectResponse;
import dev.runnel.proto.prometheus.write.v2.BucketSpan;
import dev.runnel.proto.prometheus.write.v2.Histogram;
import dev.runnel.querier.promql.engine.Engine;
import dev.runnel.querier.promql.engine.EngineOptions;
import dev.runnel.querier.promql.model.Labels;
import dev.runnel.querier.promql.model.Matcher;
import dev.runnel.querier.promql.model.Series;
import dev.runnel.querier.promql.model.StaleMarker;
import dev.runnel.querier.promql.storage.Queryable;
import dev.runnel.querier.promql.storage.memory.MemoryStorage;
import dev.runnel.querier.promql.value.Matrix;
import dev.runnel.querier.promql.value.Value;
import dev.runnel.querier.promql.value.Vector;
import io.grpc.CallOptions;
import io.grpc.ClientInterceptors;
import io.grpc.ManagedChannel;
import io.grpc.Metadata;
import io.grpc.Status;
import io.grpc.netty.shaded.io.grpc.netty.NettyChannelBuilder;
import io.grpc.stub.ClientCalls;
import io.grpc.stub.MetadataUtils;
import java.io.IOException;
import java.net.ServerSocket;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Iterator;
import java.util.List;
import java.util.OptionalLong;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/**
 * PromQL over a real ingester query service (a {@link Heads} behind an {@link IngesterGrpcServer}
 * on 127.0.0.1) gives the same results as over the same samples in a {@link MemoryStorage}.
 */
class IngesterQueryableIT {

    private static final long START = 1_700_000_000_000L;
    private static final long END = START + 60 * 60_000L;
    private static final int BIG_SERIES = 20_000;

    private static final Engine engine = new Engine(EngineOptions.defaults());
    private static final MemoryStorage memory = new MemoryStorage();
    private static Heads heads;
    private static IngesterGrpcServer server;
    private static IngesterClient client;
    private static Queryable ingester;

    @BeforeAll
    static void start() throws IOException {
        heads = new Heads(HeadConfig.DEFAULT);
        TenantHead a = heads.forTenant("team-a");
        String[] jobs = {"api", "db", "web"};
        for (long t = START; t <= END; t += 15_000) {
            long step = (t - START) / 15_000;
            for (int j = 0; j < jobs.length; j++) {
                for (int i = 0; i < 4; i++) {
                    for (String code : new String[] {"200", "500"}) {
                        double v = step * (j + 1) * (i + 1) * (code.equals("200") ? 10 : 1) + (step > 100 ? 7 : 0);
                        both(a, t, v, "__name__", "http_requests_total", "job", jobs[j], "instance", "i" + i, "code", code);
                    }
                    both(a, t, Math.sin(step / 10.0) * 1e6 + i, "__name__", "memory_bytes", "job", jobs[j], "instance", "i" + i);
                }
            }
            // A series that goes stale half way: the marker must come through bit for bit.
            if (t < START + 30 * 60_000L) {
                both(a, t, step, "__name__", "batch_progress", "job", "batch");
            } else if (t == START + 30 * 60_000L) {
                both(a, t, StaleMarker.VALUE, "__name__", "batch_progress", "job", "batch");
            }
        }
        // A native histogram counter (schema 1, a gap between its spans), with integer counts
        // (deltas) as remote write carries them.
        dev.runnel.ingester.labels.Labels rpc = dev.runnel.ingester.labels.Labels.of("__name__", "rpc_seconds", "job", "api");
        int rpcRef = a.refOf(rpc);
        for (long t = START; t <= END; t += 15_000) {
            long step = (t - START) / 15_000;
            Histogram h = Histogram.newBuilder().setTimestamp(t).setSchema(1).setZeroThreshold(0.001)
                    .setZeroCountInt(step).setCountInt(5 * step).setSum(2.5 * step)
                    .addPositiveSpans(BucketSpan.newBuilder().setOffset(-1).setLength(2))
                    .addPositiveSpans(BucketSpan.newBuilder().setOffset(1).setLength(1))
                    .addPositiveDeltas(step).addPositiveDeltas(step).addPositiveDeltas(-step).build();
            a.appendHistogram(rpcRef, t, h);
            memory.append(Labels.of("__name__", "rpc_seconds", "job", "api"), t, ProtoHistograms.toFloat(h));
        }
        TenantHead b = heads.forTenant("team-b");
        for (long t = START; t <= END; t += 60_000) {
            b.append(dev.runnel.ingester.labels.Labels.of("__name__", "http_requests_total", "job", "only-b"), t, 1);
        }
        TenantHead big = heads.forTenant("big");
        for (int s = 0; s < BIG_SERIES; s++) {
            dev.runnel.ingester.labels.Labels l = dev.runnel.ingester.labels.Labels.of(
                    "__name__", "big_metric", "shard", Integer.toString(s % 16), "series", "series-" + s);
            for (long t = END - 10 * 60_000L; t <= END; t += 30_000) {
                big.append(l, t, s);
            }
        }
        server = IngesterGrpcServer.start("127.0.0.1", 0, heads, ConsistencyWaiter.NONE);
        client = new IngesterClient("127.0.0.1:" + server.port(), Duration.ofSeconds(30));
        ingester = new IngesterQueryable(client, "team-a");
    }

    /** Appends the sample to the ingester's head and to the reference storage. */
    private static void both(TenantHead head, long t, double v, String... labels) {
        head.append(dev.runnel.ingester.labels.Labels.of(labels), t, v);
        memory.append(Labels.of(labels), t, v);
    }

    @ParameterizedTest
    @ValueSource(strings = {
        "http_requests_total",
        "rate(http_requests_total[5m])",
        "sum by (job) (rate(http_requests_total[5m]))",
        "http_requests_total{job=~\"a.*|db\", code!=\"200\"}",
        "http_requests_total{job!~\"web|api\", instance=~\"i[12]\"}",
        "count({__name__=~\".+\"})",
        "max_over_time(memory_bytes[10m]) - memory_bytes offset 5m",
        "topk(3, memory_bytes)",
        "batch_progress",
        "last_over_time(batch_progress[1h])",
        "absent(nope)",
        "http_requests_total[2m]",
        "rpc_seconds",
        "rpc_seconds[1m]",
        "rate(rpc_seconds[5m])",
        "histogram_quantile(0.9, rate(rpc_seconds[5m]))",
        "histogram_count(rpc_seconds) / 5",
    })
    void instantQueriesMatchTheSameDataInMemory(String query) {
        boolean anyData = false;
        for (long at : new long[] {START + 20 * 60_000L, START + 35 * 60_000L + 7_000, END}) {
            Value expected = engine.instantQuery(memory, query, at).execute();
            assertThat(render(engine.instantQuery(ingester, query, at).execute())).as(query + " at " + at).isEqualTo(render(expected));
            anyData |= !(expected instanceof Vector v && v.samples().isEmpty()) && !(expected instanceof Matrix m && m.series().isEmpty());
        }
        assertThat(anyData).as("%s selects something at some time", query).isTrue();
    }

    @ParameterizedTest
    @ValueSource(strings = {
        "sum by (job) (rate(http_requests_total[5m]))",
        "http_requests_total{instance=\"i3\"}",
        "batch_progress",
        "avg_over_time(memory_bytes{job=\"db\"}[3m])",
    })
    void rangeQueriesMatchTheSameDataInMemory(String query) {
        Value expected = engine.rangeQuery(memory, query, START, END, 60_000).execute();
        assertThat(render(engine.rangeQuery(ingester, query, START, END, 60_000).execute())).isEqualTo(render(expected));
    }

    @Test
    void labelNamesAndValuesMatchTheSameDataInMemory() {
        try (var expected = memory.querier(START, END); var actual = ingester.querier(START, END)) {
            for (List<Matcher> matchers : List.of(
                    List.<Matcher>of(),
                    List.of(Matcher.equal("__name__", "memory_bytes")),
                    List.of(Matcher.of(Matcher.Type.REGEX, "job", "d.*"), Matcher.of(Matcher.Type.NOT_EQUAL, "code", "500")))) {
                assertThat(actual.labelNames(matchers)).as("names %s", matchers).isEqualTo(expected.labelNames(matchers)).isNotEmpty();
                for (String name : List.of("job", "code", "__name__", "nope")) {
                    assertThat(actual.labelValues(name, matchers)).as("%s values %s", name, matchers)
                            .isEqualTo(expected.labelValues(name, matchers));
                }
            }
            assertThat(actual.labelValues("job", List.of())).containsExactly("api", "batch", "db", "web");
        }
    }

    @Test
    void manySeriesStreamInBatchesSortedByLabels() {
        List<Series> series = new IngesterQueryable(client, "big").querier(START, END)
                .select(START, END, List.of(Matcher.equal("__name__", "big_metric")));
        assertThat(series).hasSize(BIG_SERIES);
        assertThat(series).extracting(Series::labels).isSorted();
        Vector sum = (Vector) engine.instantQuery(new IngesterQueryable(client, "big"), "sum(big_metric)", END).execute();
        assertThat(sum.samples().get(0).value()).isEqualTo((double) BIG_SERIES * (BIG_SERIES - 1) / 2);

        // The same answer, batch by batch: more than one, each about 1 MiB.
        ManagedChannel channel = NettyChannelBuilder.forTarget("127.0.0.1:" + server.port()).usePlaintext().build();
        try {
            Metadata headers = new Metadata();
            headers.put(IngesterQueryMethods.TENANT_HEADER, "big");
            Iterator<SelectResponse> batches = ClientCalls.blockingServerStreamingCall(
                    ClientInterceptors.intercept(channel, MetadataUtils.newAttachHeadersInterceptor(headers)),
                    IngesterQueryMethods.SELECT, CallOptions.DEFAULT.withDeadlineAfter(30, TimeUnit.SECONDS),
                    SelectRequest.newBuilder().setMinTimeMs(START).setMaxTimeMs(END)
                            .addMatchers(LabelMatcher.newBuilder().setName("__name__").setValue("big_metric")).build());
            List<Integer> sizes = new ArrayList<>();
            int count = 0;
            while (batches.hasNext()) {
                SelectResponse batch = batches.next();
                sizes.add(batch.getSerializedSize());
                count += batch.getSeriesCount();
            }
            assertThat(count).isEqualTo(BIG_SERIES);
            assertThat(sizes).hasSizeGreaterThan(2);
            assertThat(sizes.subList(0, sizes.size() - 1)).allSatisfy(size -> assertThat(size).isBetween(1 << 20, (1 << 20) + 4096));
        } finally {
            channel.shutdownNow();
        }
    }

    @Test
    void tenantsSeeOnlyTheirOwnSeries() {
        Vector b = (Vector) engine.instantQuery(new IngesterQueryable(client, "team-b"), "http_requests_total", END).execute();
        assertThat(b.samples()).extracting(s -> s.labels().get("job")).containsExactly("only-b");
        Vector a = (Vector) engine.instantQuery(ingester, "count(http_requests_total)", END).execute();
        assertThat(a.samples().get(0).value()).isEqualTo(24);

        Queryable unknown = new IngesterQueryable(client, "nobody");
        assertThat(((Vector) engine.instantQuery(unknown, "http_requests_total", END).execute()).samples()).isEmpty();
        try (var q = unknown.querier(START, END)) {
            assertThat(q.labelNames(List.of())).isEmpty();
            assertThat(q.labelValues("job", List.of())).isEmpty();
        }
    }

    @Test
    void anInvalidRegexIsRefusedWithItsMessage() {
        SelectRequest bad = SelectRequest.newBuilder().setMaxTimeMs(END)
                .addMatchers(LabelMatcher.newBuilder().setType(LabelMatcher.Type.RE).setName("job").setValue("a(")).build();
        assertThatThrownBy(() -> client.select("team-a", bad))
                .isInstanceOf(IngesterQueryException.class)
                .hasMessageContaining("ingester 127.0.0.1:" + server.port() + ": select failed: INVALID_ARGUMENT: label matcher job=~\"a(\" has an invalid regular expression")
                .satisfies(e -> assertThat(((IngesterQueryException) e).code()).isEqualTo(Status.Code.INVALID_ARGUMENT));
    }

    @Test
    void anUnavailableIngesterFailsTheQueryClearly() throws IOException {
        int port;
        try (ServerSocket socket = new ServerSocket(0)) {
            port = socket.getLocalPort();
        }
        try (IngesterClient down = new IngesterClient("127.0.0.1:" + port, Duration.ofSeconds(5))) {
            assertThatThrownBy(() -> engine.instantQuery(new IngesterQueryable(down, "team-a"), "up", END).execute())
                    .isInstanceOf(IngesterQueryException.class)
                    .hasMessageStartingWith("ingester 127.0.0.1:" + port + ": select failed: UNAVAILABLE")
                    .satisfies(e -> assertThat(((IngesterQueryException) e).code()).isEqualTo(Status.Code.UNAVAILABLE));
        }
    }

    @Test
    void readAfterWriteWaitsForTheOffsetWithinTheDeadline() throws IOException {
        List<String> waited = new ArrayList<>();
        CountDownLatch never = new CountDownLatch(1);
        ConsistencyWaiter waiter = (partition, offset, timeout) -> {
            waited.add(partition + "@" + offset);
            if (offset > 100) {
                // Not consumed yet: wait out the time the call has left.
                if (!never.await(timeout.toNanos(), TimeUnit.NANOSECONDS)) {
                    throw new TimeoutException();
                }
            }
        };
        try (IngesterGrpcServer waiting = IngesterGrpcServer.start("127.0.0.1", 0, heads, waiter);
             IngesterClient fast = new IngesterClient("127.0.0.1:" + waiting.port(), Duration.ofMillis(300))) {
            Queryable consumed = new IngesterQueryable(fast, "team-a", 3, OptionalLong.of(42));
            Vector v = (Vector) engine.instantQuery(consumed, "count(memory_bytes)", END).execute();
            assertThat(v.samples().get(0).value()).isEqualTo(12);
            assertThat(waited).containsExactly("3@42");

            Queryable ahead = new IngesterQueryable(fast, "team-a", 3, OptionalLong.of(1000));
            long start = System.nanoTime();
            assertThatThrownBy(() -> engine.instantQuery(ahead, "memory_bytes", END).execute())
                    .isInstanceOf(IngesterQueryException.class)
                    .hasMessageContaining("select failed: DEADLINE_EXCEEDED")
                    .satisfies(e -> assertThat(((IngesterQueryException) e).code()).isEqualTo(Status.Code.DEADLINE_EXCEEDED));
            assertThat(Duration.ofNanos(System.nanoTime() - start)).isLessThan(Duration.ofSeconds(5));
        }
    }

    /** Values as text: {@code RangeSeries} has no equals, and NaN payloads print alike. */
    private static String render(Value v) {
        return v.toString();
    }

    @AfterAll
    static void stop() {
        client.close();
        server.close();
    }
}
