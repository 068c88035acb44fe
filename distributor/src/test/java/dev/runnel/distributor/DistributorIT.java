package dev.runnel.distributor;

import static dev.runnel.distributor.TestRequests.expected;
import static dev.runnel.distributor.TestRequests.readAll;
import static dev.runnel.distributor.TestRequests.rw1;
import static dev.runnel.distributor.TestRequests.rw2;
import static dev.runnel.distributor.TestRequests.series;
import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.ObjectMapper;
import dev.runnel.distributor.TestRequests.ReadSeries;
import dev.runnel.distributor.limits.Limits;
import dev.runnel.distributor.limits.LimitsYaml;
import dev.runnel.distributor.limits.TenantLimits;
import dev.runnel.distributor.produce.FakeRecordWriter;
import dev.runnel.distributor.push.DiscardCounters;
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
import io.opentelemetry.api.common.AttributeKey;
import io.opentelemetry.api.common.Attributes;
import io.opentelemetry.api.metrics.Meter;
import io.opentelemetry.exporter.otlp.http.metrics.OtlpHttpMetricExporter;
import io.opentelemetry.sdk.common.CompletableResultCode;
import io.opentelemetry.sdk.metrics.SdkMeterProvider;
import io.opentelemetry.sdk.metrics.export.PeriodicMetricReader;
import io.opentelemetry.sdk.resources.Resource;
import io.prometheus.metrics.model.registry.PrometheusRegistry;
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
import java.util.TreeMap;
import java.util.concurrent.TimeUnit;
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

/** Remote write and OTLP through a distributor into a real agent, read back with a Kafka consumer. */
class DistributorIT {
    private static final int PARTITIONS = 3;
    private static final String OTEL_TENANT = "team-otel";

    @TempDir
    Path dir;
    private ObjectStore objects;
    private MetadataStore metadata;
    private KafkaAgent agent;
    private Distributor distributor;
    private HttpServer http;
    private final Readiness readiness = new Readiness();
    /** Partitions the records read by {@link #readTopic()} came from. */
    private final Set<Integer> partitionsUsed = new HashSet<>();

    @BeforeEach
    void start() throws Exception {
        objects = new FileSystemObjectStore(dir.resolve("objects"));
        metadata = SqliteMetadataStore.open(dir.resolve("metadata.db"), Time.SYSTEM);
        agent = KafkaAgent.start(AgentConfig.defaults().withPort(0)
                .withProduce(new ProduceConfig(Duration.ofMillis(20), 4 << 20, Duration.ofSeconds(5))), objects, metadata, Time.SYSTEM);
        Routes routes = new Routes();
        Limits withSuffixes = LimitsYaml.over(Limits.DEFAULTS, new ObjectMapper().readTree("{\"otel_metric_suffixes_enabled\": true}"));
        distributor = Distributor.start(new DistributorConfig(bootstrap(), "ingest", PARTITIONS, Duration.ofSeconds(5),
                100 << 20, 1 << 20, true), List.of(), TenantLimits.fixed(Limits.DEFAULTS, Map.of(OTEL_TENANT, withSuffixes)),
                new DiscardCounters(new PrometheusRegistry()), routes, readiness);
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
        assertThat(partitionsUsed).as("40 series per tenant spread over every partition").hasSize(PARTITIONS);
    }

    @Test
    void otlpFromTheOpenTelemetrySdkIsTranslated() throws Exception {
        OtlpHttpMetricExporter exporter = OtlpHttpMetricExporter.builder()
                .setEndpoint("http://127.0.0.1:" + http.port() + "/otlp/v1/metrics")
                .addHeader("X-Scope-OrgID", OTEL_TENANT)
                .build();
        Resource resource = Resource.empty().merge(Resource.create(Attributes.of(AttributeKey.stringKey("service.name"), "checkout",
                AttributeKey.stringKey("service.instance.id"), "pod-1", AttributeKey.stringKey("cloud.region"), "eu-west-1")));
        SdkMeterProvider provider = SdkMeterProvider.builder().setResource(resource)
                .registerMetricReader(PeriodicMetricReader.builder(exporter).setInterval(Duration.ofHours(1)).build())
                .build();
        try {
            Meter meter = provider.get("shop");
            meter.counterBuilder("orders").build().add(3, Attributes.of(AttributeKey.stringKey("payment"), "card"));
            meter.gaugeBuilder("queue.depth").build().set(7);
            meter.histogramBuilder("checkout.duration").setUnit("s").setExplicitBucketBoundariesAdvice(List.of(0.1, 1.0))
                    .build().record(0.5);
            CompletableResultCode flushed = provider.forceFlush().join(10, TimeUnit.SECONDS);
            assertThat(flushed.isSuccess()).as("the exporter's push was answered 2xx").isTrue();
        } finally {
            provider.shutdown().join(10, TimeUnit.SECONDS);
        }

        Map<Map<String, String>, Double> values = new java.util.HashMap<>();
        for (ReadSeries s : readAll(readTopic().get(OTEL_TENANT))) {
            values.put(s.labels(), Double.longBitsToDouble(s.valueBits().get(s.valueBits().size() - 1)));
        }
        Map<String, String> target = Map.of("job", "checkout", "instance", "pod-1");
        assertThat(values).containsEntry(with(target, "__name__", "orders_total", "payment", "card"), 3.0)
                .containsEntry(with(target, "__name__", "queue_depth"), 7.0)
                .containsEntry(with(target, "__name__", "checkout_duration_seconds_bucket", "le", "0.1"), 0.0)
                .containsEntry(with(target, "__name__", "checkout_duration_seconds_bucket", "le", "1"), 1.0)
                .containsEntry(with(target, "__name__", "checkout_duration_seconds_bucket", "le", "+Inf"), 1.0)
                .containsEntry(with(target, "__name__", "checkout_duration_seconds_count"), 1.0)
                .containsEntry(with(target, "__name__", "checkout_duration_seconds_sum"), 0.5)
                .containsEntry(with(target, "__name__", "target_info", "cloud_region", "eu-west-1"), 1.0)
                .hasSize(8);
    }

    private static Map<String, String> with(Map<String, String> base, String... labels) {
        Map<String, String> out = new TreeMap<>(base);
        for (int i = 0; i < labels.length; i += 2) {
            out.put(labels[i], labels[i + 1]);
        }
        return out;
    }

    private HttpResponse<String> post(String tenant, String contentType, byte[] message) throws Exception {
        return HttpClient.newHttpClient().send(HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + http.port() + "/api/v1/push"))
                .header("Content-Type", contentType).header("Content-Encoding", "snappy").header("X-Scope-OrgID", tenant)
                .timeout(Duration.ofSeconds(10))
                .POST(HttpRequest.BodyPublishers.ofByteArray(Snappy.compress(message))).build(), HttpResponse.BodyHandlers.ofString());
    }

    /** Every record of the ingest topic, decoded, by the tenant in its key; notes the partitions they came from. */
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
            long deadline = System.nanoTime() + Duration.ofSeconds(30).toNanos();
            while (partitions.stream().anyMatch(p -> consumer.position(p) < end.get(p))) {
                assertThat(System.nanoTime()).as("read the topic within 30 s").isLessThan(deadline);
                for (ConsumerRecord<byte[], byte[]> record : consumer.poll(Duration.ofMillis(200))) {
                    partitionsUsed.add(record.partition());
                    byTenant.computeIfAbsent(new String(record.key(), StandardCharsets.UTF_8), k -> new ArrayList<>())
                            .add(FakeRecordWriter.decode(record.value()));
                }
            }
        }
        return byTenant;
    }
}
