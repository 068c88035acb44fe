package dev.runnel.querier.fanout;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.runnel.distributor.DistributorServer;
import dev.runnel.distributor.PushClient;
import dev.runnel.ingester.Ingester;
import dev.runnel.ingester.IngesterConfig;
import dev.runnel.ingester.IngesterMetrics;
import dev.runnel.ingester.grpc.IngesterGrpcServer;
import dev.runnel.ingester.grpc.ServedPartitions;
import dev.runnel.ingester.head.HeadConfig;
import dev.runnel.log.agent.LocalAgent;
import dev.runnel.proto.prometheus.Label;
import dev.runnel.proto.prometheus.TimeSeries;
import dev.runnel.proto.prometheus.WriteRequest;
import dev.runnel.proto.prometheus.write.v2.Sample;
import dev.runnel.querier.api.BuildInfo;
import dev.runnel.querier.api.ConsistencyLevel;
import dev.runnel.querier.api.QuerierApi;
import dev.runnel.querier.api.QuerierConfig;
import dev.runnel.ring.PartitionRingEditor;
import dev.runnel.ring.PartitionRingStore;
import dev.runnel.server.HttpServer;
import dev.runnel.server.Routes;
import io.prometheus.metrics.model.registry.PrometheusRegistry;
import io.prometheus.metrics.model.snapshots.CounterSnapshot;
import io.prometheus.metrics.model.snapshots.MetricSnapshot;
import java.io.IOException;
import java.net.URI;
import java.net.URLEncoder;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import org.apache.kafka.common.utils.Time;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The read path over the real write path: a distributor pushing to a local agent of the log, two
 * ingesters per partition (zones a and b, each with its own gRPC server) replaying it, and the
 * querier's HTTP API fanning out over them. Strongly consistent reads see every push at once;
 * reads survive the loss of one zone's ingester and fail with a clear 503 naming the partition
 * when both are gone.
 */
class IngestPathIT {
    private static final int PARTITIONS = 2;
    private static final String TENANT = "team-a";
    /** A tenant whose strong reads wait for offsets the log will never reach. */
    private static final String LATE = "late";
    private static final ObjectMapper JSON = new ObjectMapper();

    @TempDir
    Path dir;

    private final List<AutoCloseable> closing = new ArrayList<>();
    private final Map<String, IngesterGrpcServer> servers = new HashMap<>();
    private final Map<String, Ingester> ingesters = new HashMap<>();
    private final HttpClient http = HttpClient.newHttpClient();
    private final PrometheusRegistry registry = new PrometheusRegistry();
    private LocalAgent log;
    private DistributorServer distributor;
    private PushClient pusher;
    private KafkaEndOffsets endOffsets;
    private int queryPort;

    @BeforeEach
    void start() throws Exception {
        log = LocalAgent.start(dir);
        closing.add(log);
        distributor = DistributorServer.start(log.bootstrap(), PARTITIONS); // creates the topic
        closing.add(distributor);
        pusher = new PushClient(distributor.pushUri());
        PartitionRingEditor ring = new PartitionRingEditor(new PartitionRingStore(log.metadata().kv()), Time.SYSTEM);
        for (String zone : List.of("a", "b")) {
            IngesterMetrics metrics = IngesterMetrics.register(new PrometheusRegistry()); // one per zone, as one per process
            for (int p = 0; p < PARTITIONS; p++) {
                String id = IngesterConfig.instanceId(zone, p);
                ServedPartitions served = new ServedPartitions();
                IngesterGrpcServer server = IngesterGrpcServer.start("127.0.0.1", 0, served);
                servers.put(id, server);
                Ingester ingester = Ingester.start(new IngesterConfig(id, log.bootstrap(), DistributorServer.TOPIC, HeadConfig.DEFAULT,
                        Duration.ofSeconds(15), IngesterConfig.DEFAULT_SNAPSHOT_INTERVAL, "zone-" + zone), log.objects(), served,
                        "127.0.0.1:" + server.port(), ring, metrics, Time.SYSTEM);
                ingesters.put(id, ingester);
            }
        }
        endOffsets = KafkaEndOffsets.connect(log.bootstrap(), DistributorServer.TOPIC, Duration.ofSeconds(10), registry);
        closing.add(endOffsets);
        IngesterClientPool clients = new IngesterClientPool(Duration.ofSeconds(5), "zone-a");
        closing.add(clients);
        IngesterClientPool impatient = new IngesterClientPool(Duration.ofMillis(300), "zone-a");
        closing.add(impatient);
        ExecutorService fanout = Executors.newCachedThreadPool();
        closing.add(fanout::shutdownNow);
        EndOffsets unreachable = partitions -> {
            Map<Integer, Long> far = new HashMap<>(endOffsets.endOffsets(partitions));
            far.replaceAll((p, end) -> end + 1_000);
            return far;
        };
        OwnerPreference owners = OwnerPreference.zone("zone-a");
        Routes routes = new Routes();
        closing.add(QuerierApi.register(routes, QuerierConfig.defaults(),
                (tenant, consistency) -> consistency == ConsistencyLevel.EVENTUAL
                        ? new FanoutQueryable(ring::read, owners, clients, tenant, EndOffsets.NONE, fanout)
                        : tenant.equals(LATE)
                        ? new FanoutQueryable(ring::read, owners, impatient, tenant, unreachable, fanout)
                        : new FanoutQueryable(ring::read, owners, clients, tenant, endOffsets, fanout),
                new FanoutMetadata(ring::read, owners, clients, endOffsets, fanout), BuildInfo.of("", "", "")));
        HttpServer server = HttpServer.start("127.0.0.1", 0, routes, 1 << 20);
        closing.add(server);
        queryPort = server.port();
    }

    @AfterEach
    void stop() {
        ingesters.values().forEach(Ingester::close);
        servers.values().forEach(IngesterGrpcServer::close);
        for (int i = closing.size() - 1; i >= 0; i--) {
            try {
                closing.get(i).close();
            } catch (Exception e) {
                throw new IllegalStateException(e);
            }
        }
    }

    @Test
    void everyEndpointSeesAPushAtOnceWithStrongConsistency() throws Exception {
        long now = System.currentTimeMillis();
        for (int n = 1; n <= 60; n++) {
            push(TENANT, now, "written", "n", Integer.toString(n));
            String nth = "written{n=\"" + n + "\"}";
            switch (n % 5) {
                case 0 -> assertThat(data(strong("query?time=" + seconds(now) + "&query=" + encode("count(written)")))
                        .at("/result/0/value/1").asText()).isEqualTo(Integer.toString(n));
                case 1 -> assertThat(lastRangeValue(now)).isEqualTo(Integer.toString(n));
                case 2 -> assertThat(data(strong("series?match[]=" + encode("written"))).size()).isEqualTo(n);
                case 3 -> assertThat(data(strong("label/n/values?match[]=" + encode("written"))).size()).isEqualTo(n);
                default -> assertThat(data(strong("labels?match[]=" + encode(nth))).toString()).isEqualTo("[\"__name__\",\"n\"]");
            }
        }
        // Strong reads share lookups at most; never more than one per read.
        assertThat(endOffsetLookups()).isPositive().isLessThanOrEqualTo(60);
    }

    @Test
    void aStrongReadThatTheIngestersCannotCatchUpWithAnswersTimeout() throws Exception {
        push(LATE, System.currentTimeMillis(), "written", "n", "1");
        HttpResponse<String> answer = get(LATE, "query?query=" + encode("count(written)"), "strong");

        assertThat(answer.statusCode()).isEqualTo(503);
        JsonNode body = JSON.readTree(answer.body());
        assertThat(body.get("errorType").asText()).isEqualTo("timeout");
        assertThat(body.get("error").asText()).contains("no owner answered up to offset").contains("DEADLINE_EXCEEDED");

        HttpResponse<String> eventual = get(LATE, "query?query=" + encode("count(written)"), "eventual");
        assertThat(eventual.statusCode()).as(eventual.body()).isEqualTo(200);
        HttpResponse<String> invalid = get(LATE, "query?query=1", "sometimes");
        assertThat(invalid.statusCode()).isEqualTo(400);
        assertThat(invalid.body()).contains("invalid header X-Read-Consistency: read consistency must be eventual or strong");
    }

    @Test
    void queriesAnswerFromZoneBWhileZoneAIsDownAndFailClearlyWhenBothAre() throws Exception {
        long now = System.currentTimeMillis();
        for (int n = 1; n <= 20; n++) {
            push(TENANT, now, "written", "n", Integer.toString(n));
        }
        String count = "query?time=" + seconds(now) + "&query=" + encode("count(written)");
        assertThat(data(strong(count)).at("/result/0/value/1").asText()).isEqualTo("20");

        servers.get("ingester-zone-a-0").close(); // gone, but still ACTIVE in the ring with a fresh heartbeat
        for (int i = 0; i < 5; i++) {
            assertThat(data(strong(count)).at("/result/0/value/1").asText()).isEqualTo("20");
        }

        servers.get("ingester-zone-b-0").close();
        HttpResponse<String> down = get(TENANT, count, "strong");
        assertThat(down.statusCode()).isEqualTo(503);
        JsonNode error = JSON.readTree(down.body());
        assertThat(error.get("status").asText()).isEqualTo("error");
        assertThat(error.get("errorType").asText()).isEqualTo("unavailable");
        assertThat(error.get("error").asText()).startsWith("partition 0: no owner answered")
                .contains("ingester-zone-a-0 at 127.0.0.1:").contains("ingester-zone-b-0 at 127.0.0.1:").contains("UNAVAILABLE");

        // Stopped ingesters leave the ring as STOPPED owners: the partition has no owner to ask at all.
        ingesters.remove("ingester-zone-a-0").close();
        ingesters.remove("ingester-zone-b-0").close();
        HttpResponse<String> ownerless = get(TENANT, "series?match[]=" + encode("written"), "eventual");
        assertThat(ownerless.statusCode()).isEqualTo(503);
        assertThat(JSON.readTree(ownerless.body()).get("error").asText())
                .isEqualTo("partition 0 has no ACTIVE owner with a query address in the ring: its series cannot be read");
    }

    private String lastRangeValue(long now) throws Exception {
        JsonNode values = data(strong("query_range?start=" + seconds(now - 60_000) + "&end=" + seconds(now) + "&step=15&query="
                + encode("count(written)"))).at("/result/0/values");
        return values.get(values.size() - 1).get(1).asText();
    }

    private void push(String tenant, long time, String name, String... labels) throws IOException, InterruptedException {
        TimeSeries.Builder series = TimeSeries.newBuilder().addLabels(Label.newBuilder().setName("__name__").setValue(name));
        for (int i = 0; i < labels.length; i += 2) {
            series.addLabels(Label.newBuilder().setName(labels[i]).setValue(labels[i + 1]));
        }
        series.addSamples(Sample.newBuilder().setTimestamp(time).setValue(1));
        HttpResponse<String> pushed = pusher.push(tenant, PushClient.RW1, WriteRequest.newBuilder().addTimeseries(series).build().toByteArray());
        assertThat(pushed.statusCode()).as(pushed.body()).isEqualTo(200);
    }

    private HttpResponse<String> strong(String pathAndQuery) throws Exception {
        HttpResponse<String> answer = get(TENANT, pathAndQuery, "strong");
        assertThat(answer.statusCode()).as(answer.body()).isEqualTo(200);
        return answer;
    }

    private HttpResponse<String> get(String tenant, String pathAndQuery, String consistency) throws Exception {
        return http.send(HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + queryPort + QuerierApi.PREFIX + pathAndQuery))
                .header("X-Scope-OrgID", tenant).header(ConsistencyLevel.HEADER, consistency)
                .timeout(Duration.ofSeconds(30)).build(), HttpResponse.BodyHandlers.ofString());
    }

    private static JsonNode data(HttpResponse<String> answer) throws IOException {
        return JSON.readTree(answer.body()).get("data");
    }

    private double endOffsetLookups() {
        for (MetricSnapshot m : registry.scrape()) {
            if (m instanceof CounterSnapshot counter && m.getMetadata().getName().equals("runnel_querier_end_offset_lookups")) {
                return counter.getDataPoints().get(0).getValue();
            }
        }
        throw new AssertionError("no end offset lookup counter");
    }

    private static String seconds(long ms) {
        return Double.toString(ms / 1000.0);
    }

    private static String encode(String s) {
        return URLEncoder.encode(s, StandardCharsets.UTF_8);
    }
}
