package dev.runnel.distributor;

import static dev.runnel.distributor.TestRequests.expected;
import static dev.runnel.distributor.TestRequests.readAll;
import static dev.runnel.distributor.TestRequests.rw1;
import static dev.runnel.distributor.TestRequests.rw2;
import static dev.runnel.distributor.TestRequests.series;
import static org.assertj.core.api.Assertions.assertThat;

import dev.runnel.distributor.produce.FakeRecordWriter;
import dev.runnel.log.agent.AgentConfig;
import dev.runnel.log.agent.KafkaAgent;
import dev.runnel.log.metadata.MetadataStore;
import dev.runnel.log.metadata.SqliteMetadataStore;
import dev.runnel.log.objectstore.FileSystemObjectStore;
import dev.runnel.log.objectstore.ObjectStore;
import dev.runnel.log.produce.ProduceConfig;
import dev.runnel.proto.prometheus.TimeSeries;
import dev.runnel.proto.prometheus.write.v2.Request;
import dev.runnel.server.HttpServer;
import dev.runnel.server.Readiness;
import dev.runnel.server.Routes;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import org.apache.kafka.clients.consumer.ConsumerConfig;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.common.TopicPartition;
import org.apache.kafka.common.serialization.ByteArrayDeserializer;
import org.apache.kafka.common.utils.Time;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.xerial.snappy.Snappy;

/** Remote write through a distributor into a real agent, read back with a Kafka consumer. */
class DistributorIT {
    private static final int PARTITIONS = 3;

    @TempDir
    Path dir;
    private ObjectStore objects;
    private MetadataStore metadata;
    private KafkaAgent agent;
    private Distributor distributor;
    private HttpServer http;
    private final Readiness readiness = new Readiness();

    @BeforeEach
    void start() throws InterruptedException {
        objects = new FileSystemObjectStore(dir.resolve("objects"));
        metadata = SqliteMetadataStore.open(dir.resolve("metadata.db"), Time.SYSTEM);
        agent = KafkaAgent.start(AgentConfig.defaults().withPort(0)
                .withProduce(new ProduceConfig(Duration.ofMillis(20), 4 << 20, Duration.ofSeconds(5))), objects, metadata, Time.SYSTEM);
        Routes routes = new Routes();
        distributor = Distributor.start(new DistributorConfig(bootstrap(), "ingest", PARTITIONS, Duration.ofSeconds(5),
                100 << 20, 1 << 20, true), List.of(), routes, readiness);
        http = HttpServer.start("127.0.0.1", 0, routes, 100 << 20);
    }

    @AfterEach
    void stop() {
        http.close();
        distributor.close();
        agent.close();
        metadata.close();
        objects.close();
    }

    private String bootstrap() {
        return "127.0.0.1:" + agent.port();
    }

    @Test
    void remoteWrite1And2AreAcknowledgedAndReadBackExactly() throws Exception {
        assertThat(readiness.notReadyReason()).isEmpty();
        List<TimeSeries> first = new ArrayList<>();
        List<TimeSeries> second = new ArrayList<>();
        for (int i = 0; i < 40; i++) {
            first.add(series(List.of("__name__", "http_requests_total", "instance", "host-" + i, "job", "api"),
                    1000, i, 2000, i == 3 ? Double.longBitsToDouble(0x7ff0000000000002L) : i + 0.5));
            second.add(series(List.of("__name__", "temperature", "room", "r" + i), 5000, i % 2 == 0 ? Double.NaN : -i));
        }

        HttpResponse<String> v1 = post("team-a", "application/x-protobuf", rw1(first.toArray(TimeSeries[]::new)).toByteArray());
        HttpResponse<String> v2 = post("team-b", "application/x-protobuf;proto=io.prometheus.write.v2.Request",
                rw2(rw1(second.toArray(TimeSeries[]::new))).toByteArray());

        assertThat(v1.statusCode()).as(v1.body()).isEqualTo(200);
        assertThat(v2.statusCode()).as(v2.body()).isEqualTo(204);
        assertThat(v2.headers().firstValue("X-Prometheus-Remote-Write-Samples-Written")).hasValue("40");

        Map<String, List<Request>> byTenant = readTopic();
        assertThat(byTenant.keySet()).containsExactlyInAnyOrder("team-a", "team-b");
        assertThat(readAll(byTenant.get("team-a"))).containsExactlyInAnyOrderElementsOf(first.stream().map(s -> expected(s)).toList());
        assertThat(readAll(byTenant.get("team-b"))).containsExactlyInAnyOrderElementsOf(second.stream().map(s -> expected(s)).toList());
    }

    private HttpResponse<String> post(String tenant, String contentType, byte[] message) throws Exception {
        return HttpClient.newHttpClient().send(HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + http.port() + "/api/v1/push"))
                .header("Content-Type", contentType).header("Content-Encoding", "snappy").header("X-Scope-OrgID", tenant)
                .timeout(Duration.ofSeconds(10))
                .POST(HttpRequest.BodyPublishers.ofByteArray(Snappy.compress(message))).build(), HttpResponse.BodyHandlers.ofString());
    }

    /** Every record of the ingest topic, decoded, by the tenant in its key; checks each partition was used as created. */
    private Map<String, List<Request>> readTopic() {
        Map<String, List<Request>> byTenant = new java.util.TreeMap<>();
        try (KafkaConsumer<byte[], byte[]> consumer = new KafkaConsumer<>(Map.of(
                ConsumerConfig.BOOTSTRAP_SERVERS_CONFIG, bootstrap()), new ByteArrayDeserializer(), new ByteArrayDeserializer())) {
            assertThat(consumer.partitionsFor("ingest")).hasSize(PARTITIONS);
            List<TopicPartition> partitions = new ArrayList<>();
            for (int p = 0; p < PARTITIONS; p++) {
                partitions.add(new TopicPartition("ingest", p));
            }
            consumer.assign(partitions);
            consumer.seekToBeginning(partitions);
            Map<TopicPartition, Long> end = consumer.endOffsets(partitions);
            Set<Integer> used = new HashSet<>();
            long deadline = System.nanoTime() + Duration.ofSeconds(30).toNanos();
            while (partitions.stream().anyMatch(p -> consumer.position(p) < end.get(p))) {
                assertThat(System.nanoTime()).as("read the topic within 30 s").isLessThan(deadline);
                for (ConsumerRecord<byte[], byte[]> record : consumer.poll(Duration.ofMillis(200))) {
                    used.add(record.partition());
                    byTenant.computeIfAbsent(new String(record.key(), StandardCharsets.UTF_8), k -> new ArrayList<>())
                            .add(FakeRecordWriter.decode(record.value()));
                }
            }
            assertThat(used).as("40 series per tenant spread over every partition").hasSize(PARTITIONS);
        }
        return byTenant;
    }
}
