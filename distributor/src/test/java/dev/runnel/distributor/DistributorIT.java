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
import dev.runnel.log.agent.LocalAgent;
import dev.runnel.proto.prometheus.TimeSeries;
import dev.runnel.proto.prometheus.write.v2.Request;
import io.opentelemetry.api.common.AttributeKey;
import io.opentelemetry.api.common.Attributes;
import io.opentelemetry.api.metrics.Meter;
import io.opentelemetry.exporter.otlp.http.metrics.OtlpHttpMetricExporter;
import io.opentelemetry.sdk.common.CompletableResultCode;
import io.opentelemetry.sdk.metrics.SdkMeterProvider;
import io.opentelemetry.sdk.metrics.export.PeriodicMetricReader;
import io.opentelemetry.sdk.resources.Resource;
import java.net.http.HttpResponse;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.concurrent.TimeUnit;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Remote write and OTLP through a distributor into a real agent, read back with a Kafka consumer. */
class DistributorIT {
    private static final int PARTITIONS = 3;
    private static final String OTEL_TENANT = "team-otel";

    @TempDir
    Path dir;
    private LocalAgent agent;
    private DistributorServer distributor;

    @BeforeEach
    void start() throws Exception {
        agent = LocalAgent.start(dir);
        Limits withSuffixes = LimitsYaml.over(Limits.DEFAULTS, new ObjectMapper().readTree("{\"otel_metric_suffixes_enabled\": true}"));
        distributor = DistributorServer.start(agent.bootstrap(), PARTITIONS, true,
                TenantLimits.fixed(Limits.DEFAULTS, Map.of(OTEL_TENANT, withSuffixes)));
    }

    @AfterEach
    void stop() {
        distributor.close();
        agent.close();
    }

    @Test
    void remoteWrite1And2AreAcknowledgedAndReadBackExactly() throws Exception {
        assertThat(distributor.readiness().notReadyReason()).isEmpty();
        List<TimeSeries> first = new ArrayList<>();
        List<TimeSeries> second = new ArrayList<>();
        for (int i = 0; i < 40; i++) {
            first.add(series(List.of("__name__", "http_requests_total", "instance", "host-" + i, "job", "api"),
                    1000, i, 2000, i == 3 ? Double.longBitsToDouble(0x7ff0000000000002L) : i + 0.5));
            second.add(series(List.of("__name__", "temperature", "room", "r" + i), 5000, i % 2 == 0 ? Double.NaN : -i));
        }

        HttpResponse<String> v1 = distributor.push("team-a", PushClient.RW1, rw1(first.toArray(TimeSeries[]::new)).toByteArray());
        HttpResponse<String> v2 = distributor.push("team-b", PushClient.RW2,
                rw2(rw1(second.toArray(TimeSeries[]::new))).toByteArray());

        assertThat(v1.statusCode()).as(v1.body()).isEqualTo(200);
        assertThat(v2.statusCode()).as(v2.body()).isEqualTo(204);
        assertThat(v2.headers().firstValue("X-Prometheus-Remote-Write-Samples-Written")).hasValue("40");

        List<ConsumerRecord<byte[], byte[]>> records = records();
        assertThat(records.stream().map(ConsumerRecord::partition).distinct())
                .as("40 series per tenant spread over every partition").hasSize(PARTITIONS);
        Map<String, List<Request>> byTenant = IngestLog.byTenant(records);
        assertThat(byTenant.keySet()).containsExactlyInAnyOrder("team-a", "team-b");
        assertThat(readAll(byTenant.get("team-a"))).containsExactlyInAnyOrderElementsOf(first.stream().map(s -> expected(s)).toList());
        assertThat(readAll(byTenant.get("team-b"))).containsExactlyInAnyOrderElementsOf(second.stream().map(s -> expected(s)).toList());
    }

    @Test
    void otlpFromTheOpenTelemetrySdkIsTranslated() throws Exception {
        OtlpHttpMetricExporter exporter = OtlpHttpMetricExporter.builder()
                .setEndpoint(distributor.otlpUri().toString())
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

    /** Every record of the ingest topic. */
    private List<ConsumerRecord<byte[], byte[]>> records() {
        return IngestLog.readAll(agent.bootstrap(), DistributorServer.TOPIC, PARTITIONS);
    }

    /** Every record of the ingest topic, decoded, by the tenant in its key. */
    private Map<String, List<Request>> readTopic() {
        return IngestLog.byTenant(records());
    }
}
