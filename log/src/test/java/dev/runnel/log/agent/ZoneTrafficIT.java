package dev.runnel.log.agent;

import static org.assertj.core.api.Assertions.assertThat;

import io.prometheus.metrics.model.registry.PrometheusRegistry;
import io.prometheus.metrics.model.snapshots.CounterSnapshot;
import io.prometheus.metrics.model.snapshots.Labels;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import org.apache.kafka.clients.consumer.ConsumerConfig;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerConfig;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.TopicPartition;
import org.apache.kafka.common.serialization.ByteArrayDeserializer;
import org.apache.kafka.common.serialization.ByteArraySerializer;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The agent counts each connection's Kafka frames by the zone its client names in client.id. */
class ZoneTrafficIT {
    private static final int RECORDS = 200;
    private static final int VALUE_BYTES = 1000;

    @TempDir
    Path dir;

    @Test
    void bytesAreCountedByTheClientsZone() throws Exception {
        double producedFromB = bytes("received", "zone-b");
        double answersToB = bytes("sent", "zone-b");
        double fetchedByC = bytes("sent", "zone-c");
        double fromUnknown = bytes("received", "unknown");
        try (LocalAgent agent = LocalAgent.start(dir)) { // zone-a
            try (KafkaProducer<byte[], byte[]> producer = producer(agent.bootstrap(), "loader,runnel_az=zone-b")) {
                for (int i = 0; i < RECORDS; i++) {
                    producer.send(new ProducerRecord<>("t", 0, null, new byte[VALUE_BYTES])).get();
                }
            }
            double producedB = bytes("received", "zone-b") - producedFromB;
            assertThat(producedB).isGreaterThanOrEqualTo(RECORDS * VALUE_BYTES).isLessThan(RECORDS * VALUE_BYTES * 2.0);
            assertThat(bytes("sent", "zone-b") - answersToB).isPositive().isLessThan(producedB);

            try (KafkaProducer<byte[], byte[]> anonymous = producer(agent.bootstrap(), "no-zone-here")) {
                anonymous.send(new ProducerRecord<>("t", 0, null, new byte[VALUE_BYTES])).get();
            }
            assertThat(bytes("received", "unknown") - fromUnknown).isGreaterThanOrEqualTo(VALUE_BYTES);

            try (KafkaConsumer<byte[], byte[]> consumer = new KafkaConsumer<>(Map.of(
                    ConsumerConfig.BOOTSTRAP_SERVERS_CONFIG, agent.bootstrap(),
                    ConsumerConfig.CLIENT_ID_CONFIG, "reader,ws_az=zone-c"), new ByteArrayDeserializer(), new ByteArrayDeserializer())) {
                TopicPartition tp = new TopicPartition("t", 0);
                consumer.assign(List.of(tp));
                consumer.seekToBeginning(List.of(tp));
                int read = 0;
                long deadline = System.nanoTime() + Duration.ofSeconds(30).toNanos();
                while (read < RECORDS + 1 && System.nanoTime() < deadline) {
                    read += consumer.poll(Duration.ofMillis(200)).count();
                }
                assertThat(read).isEqualTo(RECORDS + 1);
            }
            assertThat(bytes("sent", "zone-c") - fetchedByC).isGreaterThanOrEqualTo((RECORDS + 1) * VALUE_BYTES);
        }
    }

    private static KafkaProducer<byte[], byte[]> producer(String bootstrap, String clientId) {
        return new KafkaProducer<>(Map.of(ProducerConfig.BOOTSTRAP_SERVERS_CONFIG, bootstrap,
                ProducerConfig.CLIENT_ID_CONFIG, clientId, ProducerConfig.LINGER_MS_CONFIG, 0),
                new ByteArraySerializer(), new ByteArraySerializer());
    }

    /** runnel_network_bytes_total of Kafka clients in {@code peerZone} and this agent in zone-a. */
    private static double bytes(String direction, String peerZone) {
        Labels wanted = Labels.of("direction", direction, "local_zone", "zone-a", "peer", ZoneTraffic.PEER, "peer_zone", peerZone);
        return PrometheusRegistry.defaultRegistry.scrape().stream()
                .filter(s -> s.getMetadata().getPrometheusName().equals("runnel_network_bytes"))
                .flatMap(s -> ((CounterSnapshot) s).getDataPoints().stream())
                .filter(p -> p.getLabels().equals(wanted))
                .mapToDouble(CounterSnapshot.CounterDataPointSnapshot::getValue)
                .sum();
    }
}
