package dev.runnel.ingester;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.runnel.ingester.grpc.ServedPartitions;
import dev.runnel.ingester.head.HeadConfig;
import dev.runnel.log.agent.LocalAgent;
import dev.runnel.ring.OwnerState;
import dev.runnel.ring.Partition;
import dev.runnel.ring.PartitionOwner;
import dev.runnel.ring.PartitionRingEditor;
import dev.runnel.ring.PartitionRingStore;
import dev.runnel.ring.PartitionState;
import io.prometheus.metrics.model.registry.PrometheusRegistry;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.admin.AdminClientConfig;
import org.apache.kafka.clients.admin.NewTopic;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerConfig;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.serialization.ByteArraySerializer;
import org.apache.kafka.common.utils.Time;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** An ingester against a real agent, with the partition ring in the agent's metadata store. */
class IngesterIT {
    @TempDir
    Path dir;

    @Test
    void registersAsActiveOwnerReplaysItsPartitionAndStaysOwnerWhenStopped() throws Exception {
        try (LocalAgent log = LocalAgent.start(dir)) {
            try (Admin admin = Admin.create(Map.of(AdminClientConfig.BOOTSTRAP_SERVERS_CONFIG, log.bootstrap()))) {
                admin.createTopics(List.of(new NewTopic("ingest", 2, (short) 1))).all().get();
            }
            PartitionRingEditor ring = new PartitionRingEditor(new PartitionRingStore(log.metadata().kv()), Time.SYSTEM);
            IngesterMetrics metrics = IngesterMetrics.register(new PrometheusRegistry());
            ServedPartitions served = new ServedPartitions();
            IngesterConfig config = new IngesterConfig("ingester-zone-a-1", log.bootstrap(), "ingest", HeadConfig.DEFAULT,
                    Duration.ofSeconds(15), IngesterConfig.DEFAULT_SNAPSHOT_INTERVAL, "zone-a");
            try (KafkaProducer<byte[], byte[]> producer = new KafkaProducer<>(Map.of(ProducerConfig.BOOTSTRAP_SERVERS_CONFIG,
                    log.bootstrap()), new ByteArraySerializer(), new ByteArraySerializer())) {
                // written before the ingester starts, on its partition and on the other one
                producer.send(new ProducerRecord<>("ingest", 1, key("t1"), TestRecords.record("up", System.currentTimeMillis(), 1, "a", "b"))).get();
                producer.send(new ProducerRecord<>("ingest", 0, key("t1"), TestRecords.record("other", System.currentTimeMillis(), 1, "c"))).get();
            }

            Ingester ingester = Ingester.start(config, log.objects(), served, "10.0.0.7:9095", ring, metrics, Time.SYSTEM);
            try {
                Partition partition = ring.read().partition(1).orElseThrow();
                assertThat(partition.state()).isEqualTo(PartitionState.ACTIVE);
                assertThat(partition.owner("a")).map(PartitionOwner::ingesterId).contains("ingester-zone-a-1");
                assertThat(partition.owner("a")).map(PartitionOwner::state).contains(OwnerState.ACTIVE);
                assertThat(partition.owner("a")).map(PartitionOwner::address).contains("10.0.0.7:9095");
                assertThat(ring.read().partition(0)).isEmpty();

                awaitReady(ingester);
                assertThat(ingester.heads().get("t1")).isNotNull();
                assertThat(ingester.heads().get("t1").seriesCount()).isEqualTo(2); // partition 0's series are not its own

                // a second ingester for the same partition and zone is refused
                assertThatThrownBy(() -> Ingester.start(new IngesterConfig("ingester-zone-a-1", log.bootstrap(), "ingest",
                        HeadConfig.DEFAULT, Duration.ofSeconds(15), IngesterConfig.DEFAULT_SNAPSHOT_INTERVAL, "zone-a"), log.objects(), served, "10.0.0.7:9095", ring, metrics, Time.SYSTEM)).isInstanceOf(RuntimeException.class);
            } finally {
                ingester.close();
            }
            Partition stopped = ring.read().partition(1).orElseThrow();
            assertThat(stopped.state()).isEqualTo(PartitionState.ACTIVE);
            assertThat(stopped.owner("a")).map(PartitionOwner::state).contains(OwnerState.STOPPED);
        }
    }

    private static void awaitReady(Ingester ingester) throws InterruptedException {
        long deadline = System.nanoTime() + Duration.ofSeconds(30).toNanos();
        while (ingester.readinessCheck().get().isPresent()) {
            assertThat(System.nanoTime()).as("ready in time: %s", ingester.readinessCheck().get()).isLessThan(deadline);
            Thread.sleep(20);
        }
    }

    private static byte[] key(String tenant) {
        return tenant.getBytes(StandardCharsets.UTF_8);
    }
}
