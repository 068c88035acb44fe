package dev.runnel.distributor;

import static org.assertj.core.api.Assertions.assertThat;

import dev.runnel.distributor.produce.FakeRecordWriter;
import dev.runnel.proto.prometheus.write.v2.Request;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import org.apache.kafka.clients.consumer.ConsumerConfig;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.common.TopicPartition;
import org.apache.kafka.common.serialization.ByteArrayDeserializer;

/** Reads the ingest topic back with a plain Kafka consumer, as an ingester would, and decodes its records. */
public final class IngestLog {

    private IngestLog() {
    }

    /**
     * Every record of {@code topic}, from the start of each partition to its end when this is
     * called; fails if the topic does not have {@code partitions} partitions or reading takes
     * more than 30 s.
     */
    public static List<ConsumerRecord<byte[], byte[]>> readAll(String bootstrap, String topic, int partitions) {
        List<ConsumerRecord<byte[], byte[]>> records = new ArrayList<>();
        try (KafkaConsumer<byte[], byte[]> consumer = new KafkaConsumer<>(Map.of(ConsumerConfig.BOOTSTRAP_SERVERS_CONFIG, bootstrap),
                new ByteArrayDeserializer(), new ByteArrayDeserializer())) {
            assertThat(consumer.partitionsFor(topic)).as("partitions of topic %s", topic).hasSize(partitions);
            List<TopicPartition> all = new ArrayList<>();
            for (int p = 0; p < partitions; p++) {
                all.add(new TopicPartition(topic, p));
            }
            consumer.assign(all);
            consumer.seekToBeginning(all);
            Map<TopicPartition, Long> end = consumer.endOffsets(all);
            long deadline = System.nanoTime() + Duration.ofSeconds(30).toNanos();
            while (all.stream().anyMatch(p -> consumer.position(p) < end.get(p))) {
                assertThat(System.nanoTime()).as("read topic %s within 30 s", topic).isLessThan(deadline);
                consumer.poll(Duration.ofMillis(200)).forEach(records::add);
            }
        }
        return records;
    }

    /** The records decoded, by the tenant in their key. */
    public static Map<String, List<Request>> byTenant(List<ConsumerRecord<byte[], byte[]>> records) {
        Map<String, List<Request>> byTenant = new TreeMap<>();
        for (ConsumerRecord<byte[], byte[]> record : records) {
            byTenant.computeIfAbsent(new String(record.key(), StandardCharsets.UTF_8), k -> new ArrayList<>())
                    .add(FakeRecordWriter.decode(record.value()));
        }
        return byTenant;
    }
}
