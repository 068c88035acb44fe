package dev.runnel.distributor.compat;

import static dev.runnel.distributor.TestRequests.expected;
import static dev.runnel.distributor.TestRequests.readAll;
import static dev.runnel.distributor.TestRequests.rw1;
import static dev.runnel.distributor.TestRequests.rw2;
import static dev.runnel.distributor.TestRequests.series;
import static org.assertj.core.api.Assertions.assertThat;

import dev.runnel.distributor.DistributorServer;
import dev.runnel.distributor.IngestLog;
import dev.runnel.distributor.PushClient;
import dev.runnel.proto.prometheus.TimeSeries;
import dev.runnel.proto.prometheus.write.v2.Request;
import java.net.http.HttpResponse;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.admin.AdminClientConfig;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * The distributor unchanged on a real Apache Kafka broker instead of our agent: it creates the
 * ingest topic itself, and what it acknowledges a plain consumer reads back exactly.
 */
class ApacheKafkaIT {
    /** Kafka's own default (num.partitions) is 1, so 3 shows the distributor created the topic. */
    private static final int PARTITIONS = 3;

    private static KafkaBroker kafka;
    private static DistributorServer distributor;

    @BeforeAll
    static void start() throws Exception {
        kafka = KafkaBroker.start();
        distributor = DistributorServer.start(kafka.bootstrapServers(), PARTITIONS);
    }

    @AfterAll
    static void stop() throws Exception {
        if (distributor != null) {
            distributor.close();
        }
        if (kafka != null) {
            kafka.close();
        }
    }

    @Test
    void theDistributorCreatesTheIngestTopicWithItsPartitionCount() throws Exception {
        assertThat(distributor.readiness().notReadyReason()).isEmpty();
        try (Admin admin = Admin.create(Map.of(AdminClientConfig.BOOTSTRAP_SERVERS_CONFIG, kafka.bootstrapServers()))) {
            assertThat(admin.describeTopics(List.of(DistributorServer.TOPIC)).allTopicNames().get()
                    .get(DistributorServer.TOPIC).partitions()).hasSize(PARTITIONS);
        }
    }

    @Test
    void remoteWrite1And2AreAcknowledgedAndReadBackExactly() throws Exception {
        List<TimeSeries> first = new ArrayList<>();
        List<TimeSeries> second = new ArrayList<>();
        for (int i = 0; i < 50; i++) {
            first.add(series(List.of("__name__", "kafka_requests_total", "instance", "host-" + i, "job", "api"),
                    1000, i, 2000, i == 7 ? Double.longBitsToDouble(0x7ff0000000000002L) : i + 0.25));
            second.add(series(List.of("__name__", "kafka_temperature", "room", "r" + i, "zone", i % 2 == 0 ? "a" : "b"),
                    3000, i % 3 == 0 ? Double.NaN : -i, 4000, Double.POSITIVE_INFINITY));
        }

        HttpResponse<String> v1 = distributor.push("kafka-v1", PushClient.RW1, rw1(first.toArray(TimeSeries[]::new)).toByteArray());
        HttpResponse<String> v2 = distributor.push("kafka-v2", PushClient.RW2,
                rw2(rw1(second.toArray(TimeSeries[]::new))).toByteArray());

        assertThat(v1.statusCode()).as(v1.body()).isEqualTo(200);
        assertThat(v2.statusCode()).as(v2.body()).isEqualTo(204);
        assertThat(v2.headers().firstValue("X-Prometheus-Remote-Write-Samples-Written")).hasValue("100");

        List<ConsumerRecord<byte[], byte[]>> records = IngestLog.readAll(kafka.bootstrapServers(), DistributorServer.TOPIC, PARTITIONS);
        assertThat(records.stream().map(ConsumerRecord::partition).distinct()).as("series spread over every partition")
                .hasSize(PARTITIONS);
        Map<String, List<Request>> byTenant = IngestLog.byTenant(records);
        assertThat(readAll(byTenant.get("kafka-v1"))).containsExactlyInAnyOrderElementsOf(first.stream().map(s -> expected(s)).toList());
        assertThat(readAll(byTenant.get("kafka-v2"))).containsExactlyInAnyOrderElementsOf(second.stream().map(s -> expected(s)).toList());
    }
}
