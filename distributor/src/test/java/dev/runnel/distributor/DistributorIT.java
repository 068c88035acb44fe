package dev.runnel.distributor;

import static dev.runnel.distributor.TestRequests.expected;
import static dev.runnel.distributor.TestRequests.readAll;
import static dev.runnel.distributor.TestRequests.rw1;
import static dev.runnel.distributor.TestRequests.rw2;
import static dev.runnel.distributor.TestRequests.series;
import static org.assertj.core.api.Assertions.assertThat;

import dev.runnel.proto.prometheus.TimeSeries;
import dev.runnel.proto.prometheus.write.v2.Request;
import java.net.http.HttpResponse;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Remote write through a distributor into a real agent, read back with a Kafka consumer. */
class DistributorIT {
    private static final int PARTITIONS = 3;

    @TempDir
    Path dir;
    private LocalAgent agent;
    private DistributorServer distributor;

    @BeforeEach
    void start() throws InterruptedException {
        agent = LocalAgent.start(dir);
        distributor = DistributorServer.start(agent.bootstrap(), PARTITIONS);
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

        Map<String, List<Request>> byTenant = readTopic();
        assertThat(byTenant.keySet()).containsExactlyInAnyOrder("team-a", "team-b");
        assertThat(readAll(byTenant.get("team-a"))).containsExactlyInAnyOrderElementsOf(first.stream().map(s -> expected(s)).toList());
        assertThat(readAll(byTenant.get("team-b"))).containsExactlyInAnyOrderElementsOf(second.stream().map(s -> expected(s)).toList());
    }

    /** Every record of the ingest topic, decoded, by the tenant in its key; checks each partition was used as created. */
    private Map<String, List<Request>> readTopic() {
        List<ConsumerRecord<byte[], byte[]>> records = IngestLog.readAll(agent.bootstrap(), DistributorServer.TOPIC, PARTITIONS);
        assertThat(records.stream().map(ConsumerRecord::partition).distinct())
                .as("40 series per tenant spread over every partition").hasSize(PARTITIONS);
        return IngestLog.byTenant(records);
    }
}
